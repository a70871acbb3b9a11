// The reproducible bundle archive: a ustar stream with entries sorted by path, a fixed mtime,
// uid/gid 0, fixed modes, padded to 10 KiB records; gzip with a fixed header (no time, no name,
// OS "unknown") around a raw deflate stream at a fixed level. Written here rather than taken
// from a package because the format choices are the point. Bytes flow through generators; the
// caller (the CLI) supplies file contents and writes the result, so this module does no I/O.
import { Readable } from 'node:stream';
import zlib from 'node:zlib';

/** 2000-01-01T00:00:00Z: fixed, and late enough that no tar warns about an implausible date. */
export const ARCHIVE_MTIME = 946684800;
/** zlib's default level: images dominate the size, and 9 costs much time for little gain. */
export const ARCHIVE_LEVEL = 6;

const BLOCK = 512;
const RECORD = 10240; // 20 blocks, tar's default record size

export interface TarEntry {
  path: string; // forward slashes; directories end with "/"
  type: 'file' | 'dir';
  mode: number; // 0o644, 0o755
  size: number; // bytes; 0 for directories
}

/** Directory entries for every parent of the given files, then everything sorted by path
 * (byte order), so that a directory always precedes its contents. */
export function tarEntries(top: string, files: { path: string; mode: number; size: number }[]): TarEntry[] {
  const dirs = new Set<string>([`${top}/`]);
  for (const f of files) {
    const parts = f.path.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(`${top}/${parts.slice(0, i).join('/')}/`);
  }
  const all: TarEntry[] = [
    ...[...dirs].map((path) => ({ path, type: 'dir' as const, mode: 0o755, size: 0 })),
    ...files.map((f) => ({ path: `${top}/${f.path}`, type: 'file' as const, mode: f.mode, size: f.size })),
  ];
  return all.sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
}

function writeString(buf: Buffer, offset: number, length: number, value: string): void {
  const b = Buffer.from(value, 'utf8');
  if (b.length > length) throw new Error(`tar: "${value}" does not fit in ${length} bytes`);
  b.copy(buf, offset);
}

/** An octal field: digits, then NUL. Sizes that do not fit use GNU base-256 (bit 7 set). */
function writeNumber(buf: Buffer, offset: number, length: number, value: number): void {
  const octal = value.toString(8);
  if (octal.length <= length - 1) {
    writeString(buf, offset, length, octal.padStart(length - 1, '0') + '\0');
    return;
  }
  let v = BigInt(value);
  for (let i = length - 1; i > 0; i--) {
    buf[offset + i] = Number(v & 0xffn);
    v >>= 8n;
  }
  buf[offset] = 0x80;
}

/** ustar splits a long path at a slash into prefix (155 bytes) and name (100 bytes). */
function splitPath(path: string): { name: string; prefix: string } {
  if (Buffer.byteLength(path) <= 100) return { name: path, prefix: '' };
  for (let i = path.indexOf('/'); i !== -1; i = path.indexOf('/', i + 1)) {
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100 && name.length) return { name, prefix };
  }
  throw new Error(`tar: path too long for ustar: ${path}`);
}

export function tarHeader(e: TarEntry): Buffer {
  const h = Buffer.alloc(BLOCK);
  const { name, prefix } = splitPath(e.path);
  writeString(h, 0, 100, name);
  writeNumber(h, 100, 8, e.mode);
  writeNumber(h, 108, 8, 0); // uid
  writeNumber(h, 116, 8, 0); // gid
  writeNumber(h, 124, 12, e.type === 'file' ? e.size : 0);
  writeNumber(h, 136, 12, ARCHIVE_MTIME);
  h.fill(0x20, 148, 156); // checksum counted as spaces
  h[156] = e.type === 'file' ? 0x30 : 0x35; // '0' regular file, '5' directory
  writeString(h, 257, 6, 'ustar\0');
  writeString(h, 263, 2, '00');
  writeString(h, 265, 32, 'root');
  writeString(h, 297, 32, 'root');
  writeNumber(h, 329, 8, 0); // devmajor
  writeNumber(h, 337, 8, 0); // devminor
  writeString(h, 345, 155, prefix);
  let sum = 0;
  for (const byte of h) sum += byte;
  writeString(h, 148, 8, sum.toString(8).padStart(6, '0') + '\0 ');
  return h;
}

/** The tar stream. `content` yields a file's bytes; its length must equal the entry's size. */
export async function* tarStream(entries: TarEntry[], content: (e: TarEntry) => AsyncIterable<Buffer> | Iterable<Buffer>): AsyncGenerator<Buffer> {
  let total = 0;
  for (const e of entries) {
    yield tarHeader(e);
    total += BLOCK;
    if (e.type !== 'file') continue;
    let n = 0;
    for await (const chunk of content(e)) {
      n += chunk.length;
      yield chunk;
    }
    if (n !== e.size) throw new Error(`${e.path}: expected ${e.size} bytes, read ${n} (did the file change?)`);
    const pad = (BLOCK - (n % BLOCK)) % BLOCK;
    if (pad) yield Buffer.alloc(pad);
    total += n + pad;
  }
  yield Buffer.alloc(2 * BLOCK); // end of archive
  total += 2 * BLOCK;
  if (total % RECORD) yield Buffer.alloc(RECORD - (total % RECORD));
}

// ---- gzip -------------------------------------------------------------------------------------
const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 as gzip uses it; node:zlib's own when this Node has it (20.15+). */
export function crc32(chunk: Buffer, prev = 0): number {
  const native = (zlib as unknown as { crc32?: (data: Buffer, value?: number) => number }).crc32;
  if (native) return native(chunk, prev);
  let c = ~prev >>> 0;
  for (const byte of chunk) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

/** Magic, deflate, no flags (no name, no comment), mtime 0, no extra flags, OS 255 (unknown). */
export const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xff]);

/** gzip framing written here, so that no field depends on the machine or the clock. */
export async function* gzipStream(source: AsyncIterable<Buffer>, level = ARCHIVE_LEVEL): AsyncGenerator<Buffer> {
  let crc = 0;
  let size = 0;
  async function* counted() {
    for await (const chunk of source) {
      crc = crc32(chunk, crc);
      size += chunk.length;
      yield chunk;
    }
  }
  yield GZIP_HEADER;
  const deflate = zlib.createDeflateRaw({ level, memLevel: 8, windowBits: 15, strategy: zlib.constants.Z_DEFAULT_STRATEGY });
  const input = Readable.from(counted());
  input.on('error', (e) => deflate.destroy(e));
  input.pipe(deflate);
  for await (const chunk of deflate) yield chunk as Buffer;
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  trailer.writeUInt32LE(size % 2 ** 32, 4);
  yield trailer;
}

