/**
 * Where the workbench's own pages live: the built renderer folder, or the dev server during
 * `electron-vite dev`. Navigation guards, the IPC sender check and the request filter all
 * ask this one object, so "our page" means the same thing everywhere.
 */
import { dirname, relative, resolve, sep } from 'node:path';
import { appFileOfUrl, appHost, appScheme } from './app-url';

export interface AppLocation {
  /** What the window loads. */
  readonly entryUrl: string;
  /** `http://localhost:<port>` in dev, null for the built app. */
  readonly devOrigin: string | null;
  /** True for URLs of the app's own pages (any page or asset under the renderer root). */
  isAppUrl(url: string): boolean;
  /** The built renderer folder the `gaa-app:` scheme serves; null under the dev server. */
  readonly rendererRoot: string | null;
}

/**
 * The dev server URL electron-vite hands over in ELECTRON_RENDERER_URL, accepted only for
 * an unpackaged app and only as plain http on localhost: anything else would let an
 * environment variable point the privileged window at a remote page.
 */
export function devServerUrl(raw: string | undefined, isPackaged: boolean): string | null {
  if (isPackaged || !raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' || url.hostname !== 'localhost' || url.username || url.password) return null;
  return url.href;
}

export function appLocation(opts: { rendererFile: string; devServerUrl: string | null }): AppLocation {
  if (opts.devServerUrl) {
    const devOrigin = new URL(opts.devServerUrl).origin;
    return {
      entryUrl: opts.devServerUrl,
      devOrigin,
      rendererRoot: null,
      isAppUrl: (url) => originOf(url) === devOrigin,
    };
  }
  const rendererFile = resolve(opts.rendererFile);
  const root = dirname(rendererFile);
  const entry = relative(root, rendererFile).split(sep).map(encodeURIComponent).join('/');
  return {
    // Served by app-protocol.ts from the renderer folder, never as file://.
    entryUrl: `${appScheme}://${appHost}/${entry}`,
    devOrigin: null,
    rendererRoot: root,
    isAppUrl: (url) => appFileOfUrl(root, url) !== null,
  };
}

function originOf(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' ? u.origin : null;
  } catch {
    return null;
  }
}
