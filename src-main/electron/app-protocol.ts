/**
 * `gaa-app://bundle/…`: the workbench UI served from the app bundle over a privileged custom
 * scheme instead of `file://`. A file:// page shares its origin with every file on the disk
 * (and Electron grants file:// extra privileges); this scheme is standard and secure, has one
 * origin of its own, and answers only for files inside the built renderer folder.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { Readable } from 'node:stream';
import { protocol } from 'electron';
import { appFileOfUrl, appScheme } from './app-url';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

function plain(status: number, text: string): Response {
  return new Response(text, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } });
}

/** Serves the built renderer's files, read-only, with the workbench's content security policy. */
export function appRequestHandler(root: string, csp: string): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'method not allowed');
    const file = appFileOfUrl(root, request.url);
    if (file === null) return plain(404, 'not part of the workbench');
    let size: number;
    try {
      const info = await stat(file);
      if (!info.isFile()) return plain(404, 'not found');
      size = info.size;
    } catch {
      return plain(404, 'not found');
    }
    const headers = {
      'Content-Type': MIME[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'Content-Length': String(size),
      'Content-Security-Policy': csp,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
    };
    if (request.method === 'HEAD') return new Response(null, { status: 200, headers });
    return new Response(Readable.toWeb(createReadStream(file)) as unknown as ReadableStream<Uint8Array>, { status: 200, headers });
  };
}

export function installAppProtocol(root: string, csp: string): void {
  protocol.handle(appScheme, appRequestHandler(root, csp));
}
