/**
 * `gaa-img://project/<kind>/<id>`: the read-only route by which the renderer displays
 * project images. Only record ids travel; the engine maps them to files it registered, so
 * no URL can name a path on disk.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { protocol } from 'electron';
import { ApiError, imageRefPath, parseImageRefPath } from '../api/contract';
import type { EngineEndpoint } from '../engine/endpoint';
import { appScheme } from './app-url';
import { imageHost, imageScheme } from './channels';

/**
 * Must run before `app` is ready, once for every scheme (a second call replaces the first): a
 * standard, secure scheme gets an origin and works with fetch and <img>. `gaa-app` serves the UI
 * itself (app-protocol.ts); `gaa-img` the project's images.
 */
export function registerSchemes(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: appScheme, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
    { scheme: imageScheme, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, corsEnabled: true } },
  ]);
}

function plain(status: number, text: string): Response {
  return new Response(text, {
    status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
  });
}

/** The image refPath a URL names, or null when the URL is anything but `gaa-img://project/<kind>/<id>`. */
export function imageRefPathOfUrl(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== `${imageScheme}:` || url.host !== imageHost) return null;
  const ref = parseImageRefPath(url.pathname.slice(1));
  return ref ? imageRefPath(ref) : null;
}

export function imageRequestHandler(engine: Pick<EngineEndpoint, 'resolveImage'>): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'method not allowed');
    const refPath = imageRefPathOfUrl(request.url);
    if (refPath === null) return plain(400, 'not an image reference');

    let resolved;
    try {
      resolved = await engine.resolveImage(refPath);
    } catch (err) {
      if (err instanceof ApiError && (err.code === 'not_found' || err.code === 'no_project')) return plain(404, err.message);
      console.error(`[gaa-img] ${refPath}:`, err);
      return plain(500, 'the engine could not resolve this image');
    }
    if (!resolved) return plain(404, `${refPath} is not in the open project`);

    let size: number;
    try {
      const info = await stat(resolved.filePath);
      if (!info.isFile()) return plain(404, `${refPath}: file is missing`);
      size = info.size;
    } catch {
      return plain(404, `${refPath}: file is missing`);
    }
    const headers = {
      'Content-Type': resolved.mime,
      'Content-Length': String(size),
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      // The editors read mask pixels back into a canvas; without CORS the gaa-app:// page's canvas
      // is tainted. Only the app's own renderer can reach this scheme, and only project images by id.
      'Access-Control-Allow-Origin': '*',
    };
    if (request.method === 'HEAD') return new Response(null, { status: 200, headers });
    const body = Readable.toWeb(createReadStream(resolved.filePath)) as unknown as ReadableStream<Uint8Array>;
    return new Response(body, { status: 200, headers });
  };
}

export function installImageProtocol(engine: Pick<EngineEndpoint, 'resolveImage'>): void {
  protocol.handle(imageScheme, imageRequestHandler(engine));
}
