/**
 * Opening a folder in the system's file manager, for "Open folder" after an export. The engine
 * runs it (it runs on the user's machine under every front); tests hand the engine their own.
 */
import { spawn } from 'node:child_process';
import { ApiError } from '../../api/contract';

export type FolderOpener = (dir: string) => Promise<void>;

function command(dir: string): [string, string[]] {
  if (process.platform === 'darwin') return ['open', [dir]];
  if (process.platform === 'win32') return ['explorer', [dir]];
  return ['xdg-open', [dir]];
}

export const openInFileManager: FolderOpener = (dir) =>
  new Promise((resolve, reject) => {
    const [cmd, args] = command(dir);
    const child = spawn(cmd, args, { detached: true, stdio: 'ignore' });
    child.once('error', (err: NodeJS.ErrnoException) =>
      reject(new ApiError('io', `could not open ${dir}: ${err.code === 'ENOENT' ? `${cmd} is not installed; open the folder by hand` : err.message}`)),
    );
    child.once('spawn', () => {
      child.unref();
      resolve();
    });
  });
