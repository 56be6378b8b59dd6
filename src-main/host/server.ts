import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { isEventName, isRequestName, MAX_REQUEST_BYTES, MAX_SOCKET_MESSAGE_BYTES, toWireError, type WireError } from '../api/contract';
import type { EngineEndpoint } from '../engine/endpoint';
import { Engine } from '../engine/engine';

export interface HostOptions {
  port?: number;
  userDataDir: string;
  /** The built renderer (out/renderer). */
  staticDir: string;
  /** Use this engine instead of creating one (tests). */
  engine?: EngineEndpoint;
}

export interface RunningHost {
  url: string;
  token: string;
  port: number;
  engine: EngineEndpoint;
  close(): Promise<void>;
}

const STATIC_MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/** The static-file cookie: its own value, never the API token (cookies ignore ports, so any other service on 127.0.0.1 the browser visits receives it). */
const COOKIE = 'gaa_static';
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
  "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * The contract over HTTP + WebSocket for a browser (tests, headless use). Loopback only; every
 * request must carry the per-launch token (header for the API, query for images and the
 * socket) and a loopback Host header (DNS-rebinding defence); the API needs a custom header, so
 * a foreign page cannot even send it without a CORS preflight, which is refused. The static app
 * files are served on a SameSite=Strict, HttpOnly cookie with a random value of its own that
 * only opens the app's files: another service on 127.0.0.1 that sees the cookie gains nothing.
 */
export async function startHost(opts: HostOptions): Promise<RunningHost> {
  const token = randomBytes(24).toString('base64url');
  const staticKey = randomBytes(24).toString('base64url');
  const engine = opts.engine ?? new Engine({ host: 'web', userDataDir: opts.userDataDir });
  const staticRoot = resolve(opts.staticDir);
  let port = 0;

  const tokenOk = (candidate: string | null | undefined): boolean => sameSecret(candidate, token);
  const staticKeyOk = (candidate: string | null | undefined): boolean => sameSecret(candidate, staticKey);
  const hostOk = (req: IncomingMessage): boolean => {
    const host = req.headers.host ?? '';
    return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
  };
  /** The static cookie's raw value: ours is base64url, so a value needing percent-decoding is simply not ours. */
  const cookieValue = (req: IncomingMessage): string | null => {
    const m = new RegExp(`(?:^|;\\s*)${COOKIE}=([^;]+)`).exec(req.headers.cookie ?? '');
    return m ? m[1] : null;
  };

  const server = createServer((req, res) => {
    void handle(req, res).catch((err) => sendJson(res, 500, { ok: false, error: toWireError(err) }));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    if (!hostOk(req)) return sendJson(res, 421, { ok: false, error: { code: 'bad_request', message: 'wrong Host header' } });
    const url = parseUrl(req.url, port);
    if (!url) return badEncoding(res);

    if (url.pathname.startsWith('/api/')) {
      if (req.method !== 'POST') return sendJson(res, 405, { ok: false, error: { code: 'bad_request', message: 'POST only' } });
      if (!tokenOk(req.headers['x-gaa-token'] as string | undefined)) return unauthorized(res);
      const name = decodePart(url.pathname.slice('/api/'.length));
      if (name === null) return badEncoding(res);
      if (!isRequestName(name)) return sendJson(res, 404, { ok: false, error: { code: 'not_found', message: `unknown request ${name}` } });
      if (!(req.headers['content-type'] ?? '').startsWith('application/json'))
        return sendJson(res, 415, { ok: false, error: { code: 'bad_request', message: 'JSON body required' } });
      let args: unknown;
      try {
        const body = await readBody(req);
        args = body.length ? JSON.parse(body) : {};
      } catch (err) {
        return sendJson(res, 400, { ok: false, error: { code: 'bad_request', message: `bad JSON body: ${(err as Error).message}` } });
      }
      try {
        const result = await engine.invoke(name, args);
        return sendJson(res, 200, { ok: true, result });
      } catch (err) {
        const wire = toWireError(err);
        return sendJson(res, statusFor(wire), { ok: false, error: wire });
      }
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { ok: false, error: { code: 'bad_request', message: 'GET only' } });

    if (url.pathname.startsWith('/img/')) {
      if (!tokenOk(url.searchParams.get('token'))) return unauthorized(res);
      const resolved = await engine.resolveImage(url.pathname.slice('/img/'.length));
      if (!resolved) return sendJson(res, 404, { ok: false, error: { code: 'not_found', message: 'no such project image' } });
      res.writeHead(200, { 'Content-Type': resolved.mime, 'Cache-Control': 'private, max-age=300' });
      createReadStream(resolved.filePath).on('error', () => res.destroy()).pipe(res);
      return;
    }

    // The app itself: the first load presents the token in the URL; it becomes a strict cookie.
    const queryToken = url.searchParams.get('token');
    if (tokenOk(queryToken)) {
      res.setHeader('Set-Cookie', `${COOKIE}=${staticKey}; HttpOnly; SameSite=Strict; Path=/`);
    } else if (!staticKeyOk(cookieValue(req))) {
      return unauthorized(res);
    }
    return serveStatic(url.pathname, res);
  }

  function serveStatic(pathname: string, res: ServerResponse): void {
    const decoded = pathname === '/' ? 'index.html' : decodePart(pathname);
    if (decoded === null) return badEncoding(res);
    const rel = decoded.replace(/^\/+/, '');
    const full = normalize(join(staticRoot, rel));
    if (!full.startsWith(staticRoot + sep) || !existsSync(full) || !statSync(full).isFile()) {
      return sendJson(res, 404, { ok: false, error: { code: 'not_found', message: 'not found' } });
    }
    res.writeHead(200, {
      'Content-Type': STATIC_MIME[extname(full)] ?? 'application/octet-stream',
      'Content-Security-Policy': CSP,
      'Cache-Control': 'no-store',
    });
    createReadStream(full).pipe(res);
  }

  const sockets = new Set<WebSocket>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_SOCKET_MESSAGE_BYTES });
  server.on('upgrade', (req, socket, head) => {
    const url = parseUrl(req.url, port);
    const origin = req.headers.origin;
    const originOk = origin === undefined || origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
    if (!url || !hostOk(req) || url.pathname !== '/events' || !tokenOk(url.searchParams.get('token')) || !originOk) {
      socket.write('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('message', () => undefined); // the socket is push-only
    });
  });
  const unsubscribe = engine.onEvent((event, payload) => {
    // The same events as Electron's preload lets through: the contract's, and nothing else.
    if (!isEventName(event)) return;
    const msg = JSON.stringify({ event, payload });
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(msg);
  });

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 0, '127.0.0.1', () => ok());
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    token,
    port,
    engine,
    async close() {
      unsubscribe();
      for (const ws of sockets) ws.terminate();
      wss.close();
      await new Promise<void>((ok) => server.close(() => ok()));
      server.closeAllConnections?.();
      if (!opts.engine) await engine.close();
    },
  };
}

function parseUrl(raw: string | undefined, port: number): URL | null {
  try {
    return new URL(raw ?? '/', `http://127.0.0.1:${port}`);
  } catch {
    return null;
  }
}

function sameSecret(candidate: string | null | undefined, secret: string): boolean {
  if (!candidate) return false;
  const a = Buffer.from(candidate);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A percent-encoded URL part, or null when its encoding is malformed (`%E0%A4%A`, a lone `%`). */
function decodePart(part: string): string | null {
  try {
    return decodeURIComponent(part);
  } catch {
    return null;
  }
}

function badEncoding(res: ServerResponse): void {
  sendJson(res, 400, { ok: false, error: { code: 'bad_request', message: 'malformed percent-encoding in the URL' } });
}

function unauthorized(res: ServerResponse): void {
  sendJson(res, 401, { ok: false, error: { code: 'bad_request', message: 'missing or wrong token' } });
}

function statusFor(e: WireError): number {
  switch (e.code) {
    case 'bad_request':
      return 400;
    case 'not_found':
      return 404;
    case 'no_project':
    case 'conflict':
      return 409;
    default:
      return 500;
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return void res.end();
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_REQUEST_BYTES) {
        fail(new Error('request body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => ok(Buffer.concat(chunks).toString('utf8')));
    req.on('error', fail);
  });
}
