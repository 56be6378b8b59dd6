/**
 * Reading a pack zip by its central directory: the list of entries (names, sizes, where each
 * starts) without inflating anything, then one entry at a time streamed through zlib (which
 * inflates on the thread pool, never on the event loop) with a hard cap on what it may write.
 * Zip64 is read, since a Stable Diffusion UNet alone is over 3 GiB.
 */
import { createReadStream, createWriteStream, promises as fsp } from 'node:fs';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createInflateRaw } from 'node:zlib';
import { PackError } from '../../core/onnx/packs';

export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated. */
  method: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
  encrypted: boolean;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX_COMMENT = 0xffff;
/** A central directory larger than this is no pack's (a pack has tens of files, not millions). */
const MAX_CENTRAL_BYTES = 64 * 1024 * 1024;

async function readAt(fh: fsp.FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  let got = 0;
  while (got < length) {
    const { bytesRead } = await fh.read(buf, got, length - got, position + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return buf.subarray(0, got);
}

const notAZip = (file: string, why: string) => new PackError([`'${file}' is not a zip file (${why}); give the pack folder or its .zip`]);

/** The entries of the zip at `file`, in central-directory order. */
export async function readZipDirectory(file: string): Promise<ZipEntry[]> {
  const fh = await fsp.open(file, 'r');
  try {
    const { size } = await fh.stat();
    const tailLength = Math.min(size, 22 + MAX_COMMENT + 20);
    const tail = await readAt(fh, size - tailLength, tailLength);
    let at = -1;
    for (let i = tail.length - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === EOCD) {
        at = i;
        break;
      }
    }
    if (at < 0) throw notAZip(file, 'no zip directory at its end');
    let count = tail.readUInt16LE(at + 10);
    let centralSize = tail.readUInt32LE(at + 12);
    let centralOffset = tail.readUInt32LE(at + 16);
    if (tail.readUInt16LE(at + 4) !== 0 || tail.readUInt16LE(at + 6) !== 0) throw notAZip(file, 'it is one part of a split archive');
    if (at >= 20 && tail.readUInt32LE(at - 20) === ZIP64_LOCATOR) {
      const z64 = Number(tail.readBigUInt64LE(at - 20 + 8));
      const rec = await readAt(fh, z64, 56);
      if (rec.length < 56 || rec.readUInt32LE(0) !== ZIP64_EOCD) throw notAZip(file, 'its zip64 directory is damaged');
      count = Number(rec.readBigUInt64LE(32));
      centralSize = Number(rec.readBigUInt64LE(40));
      centralOffset = Number(rec.readBigUInt64LE(48));
    }
    if (centralSize > MAX_CENTRAL_BYTES || centralOffset + centralSize > size) throw notAZip(file, 'its directory is damaged');
    const cd = await readAt(fh, centralOffset, centralSize);
    const entries: ZipEntry[] = [];
    let p = 0;
    for (let i = 0; i < count; i++) {
      if (p + 46 > cd.length || cd.readUInt32LE(p) !== CENTRAL) throw notAZip(file, 'its directory is damaged');
      const flags = cd.readUInt16LE(p + 8);
      const method = cd.readUInt16LE(p + 10);
      let compressedSize = cd.readUInt32LE(p + 20);
      let entrySize = cd.readUInt32LE(p + 24);
      const nameLength = cd.readUInt16LE(p + 28);
      const extraLength = cd.readUInt16LE(p + 30);
      const commentLength = cd.readUInt16LE(p + 32);
      let localHeaderOffset = cd.readUInt32LE(p + 42);
      const name = cd.subarray(p + 46, p + 46 + nameLength).toString('utf8');
      // Zip64 extra field: the 8-byte values of exactly those fields that read 0xFFFFFFFF, in this order.
      let e = p + 46 + nameLength;
      const extraEnd = e + extraLength;
      while (e + 4 <= extraEnd) {
        const id = cd.readUInt16LE(e);
        const len = cd.readUInt16LE(e + 2);
        if (id === 0x0001) {
          let q = e + 4;
          if (entrySize === 0xffffffff) (entrySize = Number(cd.readBigUInt64LE(q))), (q += 8);
          if (compressedSize === 0xffffffff) (compressedSize = Number(cd.readBigUInt64LE(q))), (q += 8);
          if (localHeaderOffset === 0xffffffff) localHeaderOffset = Number(cd.readBigUInt64LE(q));
        }
        e += 4 + len;
      }
      entries.push({ name, method, compressedSize, size: entrySize, localHeaderOffset, encrypted: (flags & 1) === 1 });
      p = extraEnd + commentLength;
    }
    return entries;
  } finally {
    await fh.close();
  }
}

/** Where an entry's data starts: past its local header, whose name and extra lengths may differ from the directory's. */
async function dataStart(file: string, entry: ZipEntry): Promise<number> {
  const fh = await fsp.open(file, 'r');
  try {
    const head = await readAt(fh, entry.localHeaderOffset, 30);
    if (head.length < 30 || head.readUInt32LE(0) !== LOCAL) throw new PackError([`zip entry '${entry.name}' is damaged (no local header)`]);
    return entry.localHeaderOffset + 30 + head.readUInt16LE(26) + head.readUInt16LE(28);
  } finally {
    await fh.close();
  }
}

/** Passes bytes through, counting them; more than `limit` fails the stream with `tooLong`. */
export class SizeCap extends Transform {
  written = 0;
  constructor(
    private readonly limit: number,
    private readonly tooLong: () => Error,
    private readonly onBytes: (n: number) => void,
  ) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.written += chunk.length;
    if (this.written > this.limit) return done(this.tooLong());
    this.onBytes(chunk.length);
    done(null, chunk);
  }
}

/**
 * Streams one entry into `target` (created, never overwritten), stopping with an error as soon as
 * it would write more than `limit` bytes.
 * @returns the bytes written
 */
export async function extractZipEntry(
  file: string,
  entry: ZipEntry,
  target: string,
  limit: number,
  opts: { signal?: AbortSignal; onBytes?: (n: number) => void; tooLong: () => Error },
): Promise<number> {
  if (entry.encrypted) throw new PackError([`zip entry '${entry.name}' is encrypted`]);
  if (entry.method !== 0 && entry.method !== 8) throw new PackError([`zip entry '${entry.name}' uses compression method ${entry.method}; only stored and deflated entries are read`]);
  const start = await dataStart(file, entry);
  const cap = new SizeCap(limit, opts.tooLong, opts.onBytes ?? (() => undefined));
  if (entry.compressedSize === 0) {
    await fsp.writeFile(target, '', { flag: 'wx' });
    return 0;
  }
  const source = createReadStream(file, { start, end: start + entry.compressedSize - 1, highWaterMark: 1 << 20 });
  const out = createWriteStream(target, { flags: 'wx' });
  try {
    if (entry.method === 8) await pipeline(source, createInflateRaw(), cap, out, { signal: opts.signal });
    else await pipeline(source, cap, out, { signal: opts.signal });
  } catch (e) {
    if (e instanceof PackError || (e instanceof Error && e.name === 'AbortError')) throw e;
    throw new PackError([`zip entry '${entry.name}' cannot be extracted: ${e instanceof Error ? e.message : String(e)}`]);
  }
  return cap.written;
}

/** A small entry (pack.json) read into memory, refused past `limit` bytes. */
export async function readZipEntry(file: string, entry: ZipEntry, limit: number): Promise<Buffer> {
  if (entry.size > limit) throw new PackError([`zip entry '${entry.name}' is ${entry.size} bytes; at most ${limit} are read`]);
  if (entry.encrypted) throw new PackError([`zip entry '${entry.name}' is encrypted`]);
  const start = await dataStart(file, entry);
  const chunks: Buffer[] = [];
  let total = 0;
  const cap = new Transform({
    transform(chunk: Buffer, _e, done) {
      total += chunk.length;
      if (total > limit) return done(new PackError([`zip entry '${entry.name}' is larger than ${limit} bytes`]));
      chunks.push(chunk);
      done();
    },
  });
  if (entry.compressedSize === 0) return Buffer.alloc(0);
  const source = createReadStream(file, { start, end: start + entry.compressedSize - 1 });
  try {
    if (entry.method === 8) await pipeline(source, createInflateRaw(), cap);
    else if (entry.method === 0) await pipeline(source, cap);
    else throw new PackError([`zip entry '${entry.name}' uses compression method ${entry.method}; only stored and deflated entries are read`]);
  } catch (e) {
    if (e instanceof PackError) throw e;
    throw new PackError([`zip entry '${entry.name}' cannot be read: ${e instanceof Error ? e.message : String(e)}`]);
  }
  return Buffer.concat(chunks);
}
