import { homedir } from 'node:os';
import { join } from 'node:path';

/** App-level data outside Electron (CLI, web host): XDG on Linux, the usual places elsewhere. */
export function defaultUserDataDir(): string {
  if (process.env.GAA_USER_DATA) return process.env.GAA_USER_DATA;
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'GAA Workbench');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'GAA Workbench');
  return join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'gaa-workbench');
}
