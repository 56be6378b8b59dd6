/**
 * What the renderer may load, navigate to and ask for. The UI is offline by design: it only
 * ever needs its own bundle and `gaa-img:` images, so everything else is refused.
 */
import { app, type Session, type WebContents } from 'electron';
import type { AppLocation } from './app-location';
import { imageScheme } from './channels';

const productionPolicy: readonly string[] = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  `img-src 'self' ${imageScheme}: data: blob:`,
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
];

/**
 * The strict policy for the built app. Under the dev server only, Vite's React refresh
 * preamble is an inline script and hot reload talks over a websocket to the dev origin.
 */
export function contentSecurityPolicy(devOrigin: string | null): string {
  if (!devOrigin) return productionPolicy.join('; ');
  const ws = devOrigin.replace(/^http:/, 'ws:');
  return productionPolicy
    .map((d) => {
      if (d.startsWith('script-src ')) return `${d} 'unsafe-inline'`;
      if (d.startsWith('connect-src ')) return `${d} ${ws}`;
      return d;
    })
    .join('; ');
}

/** Network requests the renderer may make: none, except to the dev server while developing. */
export function isAllowedNetworkRequest(url: string, devOrigin: string | null): boolean {
  if (!devOrigin) return false;
  try {
    const u = new URL(url);
    const dev = new URL(devOrigin);
    return (u.protocol === 'http:' || u.protocol === 'ws:') && u.host === dev.host;
  } catch {
    return false;
  }
}

export function installSessionGuards(ses: Session, location: AppLocation): void {
  const csp = contentSecurityPolicy(location.devOrigin);
  ses.webRequest.onHeadersReceived((details, callback) => {
    const headers: Record<string, string[]> = {};
    for (const [key, value] of Object.entries(details.responseHeaders ?? {})) {
      // A page-supplied policy must not sit next to ours: the browser would enforce both.
      if (key.toLowerCase() !== 'content-security-policy') headers[key] = value;
    }
    headers['Content-Security-Policy'] = [csp];
    callback({ responseHeaders: headers });
  });
  ses.webRequest.onBeforeRequest({ urls: ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*'] }, (details, callback) => {
    callback({ cancel: !isAllowedNetworkRequest(details.url, location.devOrigin) });
  });
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
}

/** Keeps one webContents on the app's own pages, with no popups and no embedded guests. */
export function guardWebContents(contents: WebContents, location: AppLocation): void {
  contents.on('will-navigate', (details, url) => {
    if (!location.isAppUrl(details.url ?? url)) details.preventDefault();
  });
  contents.on('will-redirect', (details, url) => {
    if (!location.isAppUrl(details.url ?? url)) details.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/** Every webContents the app ever creates gets the same guards, including ones we did not create. */
export function installAppGuards(location: AppLocation): void {
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, location));
}
