export * from './score-map';
export * from './ranking';
export * from './classification';
export * from './components';
export * from './pixel';
export * from './pro';
export * from './radix';
