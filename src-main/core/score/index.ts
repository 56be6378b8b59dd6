export * from './patch-features';
export * from './network';
export * from './train';
export * from './scoring';
export * from './ars';
export * from './serialise';
export * from './gaussian';
export * from './model';
