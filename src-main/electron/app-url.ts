/**
 * The URLs of the workbench UI when it is served from the app bundle (`gaa-app://bundle/…`,
 * app-protocol.ts): which file under the built renderer folder a URL names, if any. Free of
 * Electron, so the navigation guards and the IPC sender check can ask it too.
 */
import { isAbsolute, join, relative, resolve, sep } from 'node:path';

export const appScheme = 'gaa-app';
export const appHost = 'bundle';
export const appEntryUrl = `${appScheme}://${appHost}/index.html`;

/**
 * The file under `root` a URL names, or null for anything else: another scheme or host, a
 * malformed escape, an encoded separator or NUL, a path that leaves the folder.
 */
export function appFileOfUrl(root: string, raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== `${appScheme}:` || url.host !== appHost || url.username || url.password) return null;
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  // The URL parser already removed dot segments; an encoded one (%2e%2e, %2f, %5c) or a NUL must not come back after decoding.
  if (path.includes('\0') || path.includes('\\') || path.split('/').some((s) => s === '..' || s === '.')) return null;
  const base = resolve(root);
  const rel = path === '/' ? 'index.html' : path.replace(/^\/+/, '');
  const file = resolve(join(base, rel));
  const back = relative(base, file);
  if (back === '' || back.startsWith('..') || isAbsolute(back) || back.split(sep).includes('..')) return null;
  return file;
}

