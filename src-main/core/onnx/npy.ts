/**
 * A minimal NumPy `.npy` reader and writer for the arrays model packs ship beside their ONNX
 * files (the token embedding matrix, per-cluster e_f): float32, little-endian, C order only.
 * Format: https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
 */

export interface NpyArray {
  shape: number[];
  data: Float32Array;
}

const LITTLE_ENDIAN_HOST = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;
const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"

function headerField(header: string, key: string): string | null {
  const m = new RegExp(`['"]${key}['"]\\s*:\\s*`).exec(header);
  if (!m) return null;
  const rest = header.slice(m.index + m[0].length);
  if (rest.startsWith('(')) return rest.slice(0, rest.indexOf(')') + 1);
  const q = rest[0];
  if (q === "'" || q === '"') return rest.slice(1, rest.indexOf(q, 1));
  return /^[A-Za-z]+/.exec(rest)?.[0] ?? null;
}

/** Parses a float32 little-endian C-order `.npy`; any other layout is an error naming what it found. */
export function readNpy(bytes: Uint8Array): NpyArray {
  for (let i = 0; i < MAGIC.length; i++) {
    if (bytes[i] !== MAGIC[i]) throw new Error('not a .npy file (bad magic)');
  }
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLen: number;
  let headerStart: number;
  if (major === 1) {
    headerLen = view.getUint16(8, true);
    headerStart = 10;
  } else if (major === 2 || major === 3) {
    headerLen = view.getUint32(8, true);
    headerStart = 12;
  } else {
    throw new Error(`unsupported .npy version ${major}`);
  }
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(headerStart, headerStart + headerLen));
  const descr = headerField(header, 'descr');
  const fortran = headerField(header, 'fortran_order');
  const shapeText = headerField(header, 'shape');
  if (descr !== '<f4') throw new Error(`.npy dtype is ${descr ?? 'missing'}; only float32 little-endian ('<f4') is supported`);
  if (fortran !== 'False') throw new Error('.npy array is in Fortran order; only C order is supported');
  if (!shapeText) throw new Error('.npy header has no shape');
  const shape = shapeText
    .slice(1, -1)
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => {
      const n = Number(s.replace(/L$/, ''));
      if (!Number.isInteger(n) || n < 0) throw new Error(`.npy shape has a bad dimension '${s}'`);
      return n;
    });
  const count = shape.reduce((a, b) => a * b, 1);
  const dataStart = headerStart + headerLen;
  if (bytes.byteLength - dataStart < count * 4) {
    throw new Error(`.npy data is ${bytes.byteLength - dataStart} bytes but shape [${shape.join(', ')}] needs ${count * 4}`);
  }
  if (LITTLE_ENDIAN_HOST) {
    // A copy, so the result neither aliases the file buffer nor depends on its alignment.
    const start = bytes.byteOffset + dataStart;
    return { shape, data: new Float32Array(bytes.buffer.slice(start, start + count * 4)) };
  }
  const data = new Float32Array(count);
  for (let i = 0; i < count; i++) data[i] = view.getFloat32(dataStart + 4 * i, true);
  return { shape, data };
}

/** Writes a version-1.0 `.npy` (header padded so the data starts on a 64-byte boundary). */
export function writeNpy(data: Float32Array, shape: readonly number[]): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) throw new Error(`shape [${shape.join(', ')}] holds ${count} values but data has ${data.length}`);
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const unpadded = 10 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + count * 4);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  const view = new DataView(out.buffer);
  view.setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  const dataStart = 10 + header.length;
  for (let i = 0; i < count; i++) view.setFloat32(dataStart + 4 * i, data[i], true);
  return out;
}
