import { describe, expect, it, vi } from 'vitest';
import { appLocation } from '../../../src-main/electron/app-location';
import { guardWebContents, installAppGuards, installSessionGuards } from '../../../src-main/electron/security';
import { app, FakeSession, FakeWebContents, navigationEvent } from './fake-electron';

vi.mock('electron', () => import('./fake-electron'));

const built = appLocation({ rendererFile: '/opt/gaa/out/renderer/index.html', devServerUrl: null });
const dev = appLocation({ rendererFile: '/opt/gaa/out/renderer/index.html', devServerUrl: 'http://localhost:5173/' });
const appPage = 'gaa-app://bundle/index.html';

function guarded(): FakeWebContents {
  const contents = new FakeWebContents(appPage);
  guardWebContents(contents as never, built);
  return contents;
}

function headersFor(ses: FakeSession, responseHeaders: Record<string, string[]>): Record<string, string[]> {
  let out: Record<string, string[]> | undefined;
  ses.headersListener!({ url: appPage, responseHeaders }, (r) => (out = r.responseHeaders));
  return out!;
}

function cancelled(ses: FakeSession, url: string): boolean {
  let cancel: boolean | undefined;
  ses.requestListener!({ url }, (r) => (cancel = r.cancel));
  return cancel!;
}

describe('navigation guards', () => {
  it('prevents navigating the window to another site', () => {
    const contents = guarded();
    const nav = navigationEvent('https://evil.example/');
    contents.emit('will-navigate', nav, nav.url);
    expect(nav.defaultPrevented).toBe(true);
  });

  it("lets the window navigate within the app's own pages", () => {
    const contents = guarded();
    const nav = navigationEvent('gaa-app://bundle/index.html#/review');
    contents.emit('will-navigate', nav, nav.url);
    expect(nav.defaultPrevented).toBe(false);
  });

  it('prevents a redirect to a local file outside the app', () => {
    const contents = guarded();
    const nav = navigationEvent('file:///etc/passwd');
    contents.emit('will-redirect', nav, nav.url);
    expect(nav.defaultPrevented).toBe(true);
  });

  it('denies every window.open', () => {
    const contents = guarded();
    expect(contents.windowOpenHandler!({ url: appPage })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
  });

  it('refuses to attach a webview', () => {
    const contents = guarded();
    const ev = navigationEvent('');
    contents.emit('will-attach-webview', ev, {}, { src: 'https://evil.example/' });
    expect(ev.defaultPrevented).toBe(true);
  });

  it('guards every webContents the app creates', () => {
    installAppGuards(built);
    const contents = new FakeWebContents();
    app.emit('web-contents-created', {}, contents);
    const nav = navigationEvent('https://evil.example/');
    contents.emit('will-navigate', nav, nav.url);
    expect(nav.defaultPrevented).toBe(true);
    expect(contents.windowOpenHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
  });
});

describe('session guards', () => {
  it('sets the strict content security policy on responses', () => {
    const ses = new FakeSession();
    installSessionGuards(ses as never, built);
    const headers = headersFor(ses, { 'Content-Type': ['text/html'] });
    expect(headers['Content-Security-Policy']).toEqual([
      "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' gaa-img: data: blob:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    ]);
    expect(headers['Content-Type']).toEqual(['text/html']);
  });

  it('replaces a policy the response brought with it', () => {
    const ses = new FakeSession();
    installSessionGuards(ses as never, built);
    const headers = headersFor(ses, { 'content-security-policy': ["default-src *; script-src 'unsafe-eval'"] });
    expect(Object.keys(headers).filter((k) => k.toLowerCase() === 'content-security-policy')).toEqual([
      'Content-Security-Policy',
    ]);
    expect(headers['Content-Security-Policy'][0]).toMatch(/^default-src 'none'; script-src 'self';/);
  });

  it('denies every permission request and check', () => {
    const ses = new FakeSession();
    installSessionGuards(ses as never, built);
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      const granted: boolean[] = [];
      ses.permissionRequestHandler!({}, permission, (g) => granted.push(g));
      expect(granted).toEqual([false]);
      expect(ses.permissionCheckHandler!({}, permission)).toBe(false);
    }
  });

  it('refuses every request to the network in the built app', () => {
    const ses = new FakeSession();
    installSessionGuards(ses as never, built);
    for (const url of ['https://evil.example/x.js', 'http://localhost:5173/', 'wss://evil.example/socket']) {
      expect(cancelled(ses, url), url).toBe(true);
    }
  });

  it('lets through only the dev server while developing', () => {
    const ses = new FakeSession();
    installSessionGuards(ses as never, dev);
    expect(cancelled(ses, 'http://localhost:5173/src/main.tsx')).toBe(false);
    expect(cancelled(ses, 'ws://localhost:5173/')).toBe(false);
    expect(cancelled(ses, 'http://localhost:8080/')).toBe(true);
    expect(cancelled(ses, 'https://evil.example/')).toBe(true);
    const csp = headersFor(ses, {})['Content-Security-Policy'][0];
    expect(csp).toContain('connect-src \'self\' ws://localhost:5173');
    expect(csp).toContain("default-src 'none'");
  });
});
