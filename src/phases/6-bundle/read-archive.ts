// Reading a bundle archive (.tar.gz) into entries for verify.ts, from a stream of its bytes (the
// caller opens the file; nothing here touches the disk). tar-stream parses the tar layer: ustar,
// GNU long names and pax headers, so that a bundle re-packed by GNU tar --format=posix or bsdtar
// reads the same as pbxplan's own archive. Around it, the bounds that keep a hostile archive
// from costing time or memory:
// - manifest.json and SHA256SUMS are kept in memory only up to MAX_INDEX_BYTES;
// - an entry's content is read only when the index expects it at that size; an entry the index
//   does not expect is skipped when small and stops the reading when large;
// - once manifest.json is known, the whole stream may not exceed the sizes it declares;
// - before that, the data may not decompress at more than MAX_RATIO:1 (a bomb does ~1000:1; no
//   bundle file comes near), checked against each entry's declared size up front and as it runs;
// - at most GAP_BYTES may pass without an entry (zero blocks and padding after the end).
import { createHash } from 'node:crypto';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import tar from 'tar-stream';
import { MAX_INDEX_BYTES, modeProblem, ownerProblem, parseIndex, shownPath, type BundleEntry, type BundleIndex, type EntryKind, type Finding } from './verify.js';

export const MAX_RATIO = 200;
/** Decompressed bytes always allowed on top of the ratio and manifest bounds. */
const SLACK_BYTES = 64 * 1024 * 1024;
/** Unexpected entries up to this size are skipped; larger ones stop the reading. */
const SKIP_BYTES = 1024 * 1024;
const GAP_BYTES = 1024 * 1024;

/** pax attributes a bundle may carry (GNU tar --format=posix writes the times). Anything else,
 * extended attributes above all (file capabilities act like setuid), is refused. */
const PAX_ALLOWED = new Set(['path', 'linkpath', 'size', 'mtime', 'atime', 'ctime', 'uid', 'gid', 'uname', 'gname', 'comment', 'charset', 'hdrcharset']);

const KINDS: Record<string, EntryKind> = {
  file: 'file',
  directory: 'dir',
  symlink: 'symlink',
  link: 'hardlink',
  fifo: 'fifo',
  'character-device': 'char-device',
  'block-device': 'block-device',
};

export interface ArchiveRead {
  /** The top-level folder every entry sits under (the cluster name for pbxplan's archives). */
  top: string | null;
  /** Entries under the top folder, paths relative to it. */
  entries: BundleEntry[];
  index: BundleIndex;
  manifestSha256: string | null;
  /** What the reader itself found: entries outside the folder, damage, where it stopped. */
  findings: Finding[];
  /** False when the reader stopped before the end. */
  complete: boolean;
}

class Stop extends Error {}

/** Why the stream could not be read, in words (zlib and tar-stream speak in their own terms). */
function damage(e: Error & { code?: string }): string {
  if (e.code?.startsWith('Z_')) return 'its compressed data is corrupt or cut short';
  if (/Unexpected end of data/.test(e.message)) return 'it ends in the middle of an entry (cut short)';
  if (/Invalid tar header|Header exceeds/.test(e.message)) return 'it holds a damaged tar header (or is not a tar archive inside)';
  return 'it cannot be read as a .tar.gz';
}

/**
 * Reads the archive. `compressedSize` is the size of the file (Infinity when unknown); it bounds
 * what the content may decompress to before the manifest is known.
 */
export async function readArchive(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, compressedSize = Infinity): Promise<ArchiveRead> {
  const entries: BundleEntry[] = [];
  const findings: Finding[] = [];
  let top: string | null = null;
  let manifest: Buffer | null = null;
  let sums: Buffer | null = null;
  let manifestSha256: string | null = null;
  let manifestFiles: Map<string, number> | null = null; // path → size, once manifest.json is read
  let manifestTotal = 0;
  let summed: Set<string> | null = null;
  let compressedRead = 0;
  let fed = 0; // tar bytes handed to the parser
  let progressAt = 0; // `fed` when the parser last produced an entry or data
  let stopped: string | null = null;

  const stop = (reason: string): never => {
    stopped ??= reason;
    throw new Stop(reason);
  };

  async function* counted() {
    let first = true;
    for await (const chunk of source) {
      if (first && chunk.length >= 2 && (chunk[0] !== 0x1f || chunk[1] !== 0x8b)) stop('it is not a gzip-compressed archive (.tar.gz)');
      first = false;
      compressedRead += chunk.length;
      yield chunk;
    }
  }

  const bound = new Transform({
    transform(chunk: Buffer, _enc, cb: TransformCallback) {
      fed += chunk.length;
      try {
        if (fed - progressAt > GAP_BYTES) stop(`more than ${GAP_BYTES} bytes follow without a tar entry (data after the end of the archive)`);
        if (manifestFiles) {
          const allowed = manifestTotal + 2 * MAX_INDEX_BYTES + 4096 * (manifestFiles.size + 2) + SLACK_BYTES;
          if (fed > allowed) stop(`it decompresses to more than the ${manifestTotal} bytes manifest.json declares`);
        } else if (fed > MAX_RATIO * compressedRead + SLACK_BYTES) {
          stop(`it decompresses at more than ${MAX_RATIO}:1, which no bundle does (a decompression bomb?)`);
        }
      } catch (e) {
        cb(e as Error);
        return;
      }
      cb(null, chunk);
    },
  });

  const extract = tar.extract();
  extract.on('entry', (header, stream, next) => {
    progressAt = fed;
    stream.on('error', () => {}); // its errors are the extractor's, reported once by the pipeline
    try {
      onEntry(header, stream, next);
    } catch (e) {
      stream.resume();
      extract.destroy(e as Error);
    }
  });

  function onEntry(header: tar.Header, stream: tar.ExtractEvents['entry'][1], next: (e?: Error | null) => void): void {
    const pax = (header as { pax?: Record<string, string> | null }).pax ?? {};
    const raw = header.name.replace(/\/+$/, '');
    const size = header.size ?? 0;
    const kind: EntryKind = KINDS[header.type ?? ''] ?? 'other';
    const problems = Object.keys(pax)
      .filter((k) => !PAX_ALLOWED.has(k))
      .map((k) => `carries the pax attribute "${shownPath(k)}" (extended attributes and the like are not allowed)`);
    const num = (v: string | undefined, fallback: number) => (v !== undefined && /^[0-9]+$/.test(v) ? Number(v) : v === undefined ? fallback : -1);
    const owner = { uid: num(pax['uid'], header.uid ?? 0), gid: num(pax['gid'], header.gid ?? 0), uname: pax['uname'] ?? header.uname ?? '', gname: pax['gname'] ?? header.gname ?? '' };

    const slash = raw.indexOf('/');
    const first = slash === -1 ? raw : raw.slice(0, slash);
    top ??= first;
    let rel: string | null = null;
    if (first !== top || first === '' || first === '.' || first === '..') {
      findings.push({ kind: 'unsafe', path: shownPath(header.name), reason: `outside the bundle's folder ${shownPath(top)}/` });
    } else if (slash === -1) {
      // The bundle's folder itself: not a bundle path, but restored with its owner and mode too.
      const at = `${shownPath(raw)}/`;
      if (kind !== 'dir') findings.push({ kind: 'unsafe', path: at, reason: 'not a folder, yet named as the bundle\'s folder' });
      for (const reason of [...problems, modeProblem((header.mode ?? 0) & 0o7777), ownerProblem(owner)]) if (reason) findings.push({ kind: 'unsafe', path: at, reason });
    } else {
      rel = raw.slice(slash + 1);
    }
    const entry: BundleEntry | null = rel === null ? null : { path: rel, kind, mode: (header.mode ?? 0) & 0o7777, size, owner, problems, ...(header.linkname ? { target: header.linkname } : {}) };
    if (entry) entries.push(entry);

    // What to do with the content: keep (index files), hash, skip (small), or stop.
    const isIndex = kind === 'file' && (rel === 'manifest.json' || rel === 'SHA256SUMS');
    let mode: 'keep' | 'hash' | 'skip' = 'skip';
    const name = shownPath(rel ?? header.name);
    if (size === 0) mode = kind === 'file' ? 'hash' : 'skip';
    else if (isIndex) {
      if (size > MAX_INDEX_BYTES) stop(`${name} declares ${size} bytes; pbxplan writes it far smaller (at most ${MAX_INDEX_BYTES})`);
      mode = 'keep';
    } else if (kind === 'file' && rel !== null) {
      const expected = manifestFiles ? manifestFiles.get(rel) : undefined;
      if (manifestFiles) {
        if (expected === size) mode = 'hash';
        else if (size > SKIP_BYTES) stop(`${name} declares ${size} bytes, manifest.json ${expected === undefined ? 'does not list it' : `says ${expected}`}`);
      } else if (summed && !summed.has(rel)) {
        if (size > SKIP_BYTES) stop(`${name} (${size} bytes) is not listed in SHA256SUMS`);
      } else {
        if (size > MAX_RATIO * Math.max(0, compressedSize - compressedRead) + SLACK_BYTES) {
          stop(`${name} declares ${size} bytes, more than ${MAX_RATIO} times what is left of the compressed archive (a decompression bomb?)`);
        }
        mode = 'hash';
      }
    } else if (size > SKIP_BYTES) {
      stop(`${name} carries ${size} bytes of data`);
    }

    const hash = mode === 'skip' ? null : createHash('sha256');
    const kept: Buffer[] = [];
    stream.on('data', (data: unknown) => {
      const chunk = data as Buffer;
      progressAt = fed;
      hash?.update(chunk);
      if (mode === 'keep') kept.push(chunk);
    });
    stream.on('end', () => {
      if (entry && hash) entry.sha256 = hash.digest('hex');
      if (mode === 'keep' && entry?.sha256 !== undefined) {
        const bytes = Buffer.concat(kept);
        if (rel === 'manifest.json') {
          manifest = bytes;
          manifestSha256 = entry.sha256;
          const parsed = parseIndex(bytes, null);
          manifestFiles = new Map([...parsed.files.values()].map((f) => [f.path, f.size]));
          manifestTotal = [...parsed.files.values()].reduce((n, f) => n + f.size, 0);
        } else {
          sums = bytes;
          summed = new Set(parseIndex(null, bytes).sums.keys());
        }
      }
      next();
    });
  }

  let complete = true;
  try {
    await pipeline(Readable.from(counted()), zlib.createGunzip({ chunkSize: 64 * 1024 }), bound, extract);
  } catch (e) {
    complete = false;
    if (stopped !== null) findings.push({ kind: 'damaged', path: '', reason: `stopped reading the archive: ${stopped}` });
    else findings.push({ kind: 'damaged', path: '', reason: `the archive cannot be read: ${damage(e as Error)}` });
  }
  if (top === null && complete) findings.push({ kind: 'damaged', path: '', reason: 'the archive holds no entry at all' });
  const index = parseIndex(manifest, sums);
  // When the reader stopped, the index files may simply not have been reached.
  if (!complete) index.findings = index.findings.filter((f) => f.kind !== 'missing');
  return { top, entries, index, manifestSha256, findings, complete };
}
