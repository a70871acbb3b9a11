// Reading the spec: a regular file (or standard input for "-"), never more than MAX_SPEC_BYTES.
// The file is opened without blocking and checked with fstat before any read, so a FIFO, a
// device such as /dev/zero or a directory is refused by name instead of hanging or filling
// memory. The bytes are decoded as strict UTF-8 here, in one place.
import { closeSync, constants, fstatSync, openSync, read, readSync } from 'node:fs';
import { CliError, ioError } from '../errors.js';
import { kindOf } from './file-kind.js';

/** A spec larger than this is a mistake (the largest real ones are tens of KB). */
export const MAX_SPEC_BYTES = 4 * 1024 * 1024;

export interface SpecInput {
  /** As the user named it, for messages ("<stdin>" for "-"). */
  file: string;
  bytes: Uint8Array;
}

const tooBig = (file: string) => new CliError(`${file} is larger than ${MAX_SPEC_BYTES / 1024 / 1024} MiB; a spec is a few KB of YAML: check that you named the right file`);

function readBounded(fd: number, file: string): Uint8Array {
  const buf = Buffer.allocUnsafe(MAX_SPEC_BYTES + 1);
  let n = 0;
  for (;;) {
    const got = readSync(fd, buf, n, buf.length - n, null);
    if (got === 0) break;
    n += got;
    if (n > MAX_SPEC_BYTES) throw tooBig(file);
  }
  return new Uint8Array(buf.subarray(0, n));
}

/** Standard input: a pipe or a redirected file, read without blocking the event loop, bounded. */
async function readStdin(): Promise<Uint8Array> {
  const st = fstatSync(0);
  if (st.isDirectory()) throw new CliError('standard input is a directory; pipe a spec into pbxplan, or name the file');
  const chunks: Buffer[] = [];
  let n = 0;
  for (;;) {
    const buf = Buffer.allocUnsafe(64 * 1024);
    const got = await new Promise<number>((resolve, reject) => read(0, buf, 0, buf.length, null, (e, bytes) => (e && e.code !== 'EAGAIN' ? reject(e) : resolve(e ? -1 : bytes))));
    if (got === -1) {
      await new Promise((r) => setTimeout(r, 10)); // a non-blocking terminal or pipe: wait for data
      continue;
    }
    if (got === 0) break;
    chunks.push(buf.subarray(0, got));
    n += got;
    if (n > MAX_SPEC_BYTES) throw tooBig('<stdin>');
  }
  return new Uint8Array(Buffer.concat(chunks));
}

export async function readSpec(path: string): Promise<SpecInput> {
  if (path === '-') {
    try {
      return { file: '<stdin>', bytes: await readStdin() };
    } catch (e) {
      throw ioError(e, 'read the spec from', 'standard input');
    }
  }
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw ioError(e, 'read the spec', path);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new CliError(`${path} is ${kindOf(st)}, not a spec file; name a YAML file (or "-" to read standard input)`);
    if (st.size > MAX_SPEC_BYTES) throw tooBig(path);
    return { file: path, bytes: readBounded(fd, path) };
  } catch (e) {
    throw ioError(e, 'read the spec', path);
  } finally {
    closeSync(fd);
  }
}

/** Where the first byte that is not UTF-8 sits: offset, line and column (1-based). */
function firstInvalid(bytes: Uint8Array): { offset: number; line: number; col: number } {
  let line = 1;
  let col = 1;
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    const len = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    let ok = len > 0 && i + len <= bytes.length;
    for (let k = 1; ok && k < len; k++) ok = (bytes[i + k]! & 0xc0) === 0x80;
    if (ok && len === 3) ok = !(b === 0xe0 && bytes[i + 1]! < 0xa0) && !(b === 0xed && bytes[i + 1]! > 0x9f);
    if (ok && len === 4) ok = !(b === 0xf0 && bytes[i + 1]! < 0x90) && !(b === 0xf4 && bytes[i + 1]! > 0x8f);
    if (!ok) return { offset: i, line, col };
    if (b === 0x0a) {
      line++;
      col = 1;
    } else col++;
    i += len;
  }
  return { offset: bytes.length, line, col };
}

/** The spec as text: strict UTF-8 (a byte order mark is kept, as before). */
export function decodeSpec({ file, bytes }: SpecInput): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    const at = firstInvalid(bytes);
    const byte = bytes[at.offset];
    throw new CliError(`${file}:${at.line}:${at.col}: the spec is not valid UTF-8 (byte 0x${(byte ?? 0).toString(16).padStart(2, '0')} at offset ${at.offset}); save it as UTF-8 text`);
  }
}
