// `pbxplan verify`: a bundle judged against its own manifest.json and SHA256SUMS. Pure: the
// caller reads a directory (or the archive reader reads an archive) into entries — path, kind,
// mode, size, owner and, for files worth reading, sha256 — and this module says what is wrong.
// The rules, for directories and archives alike:
// - manifest.json (made by pbxplan) lists every file with its size, mode and sha256; SHA256SUMS
//   lists the same files (and manifest.json) with the same digests;
// - every listed file is present, a regular file, with that size, mode and content; nothing
//   else is there but the folders that hold them;
// - only regular files and folders (no symbolic or hard link, FIFO, socket or device); no
//   setuid, setgid or sticky bit, nothing writable by others; in archives every entry is owned by
//   root (uid/gid 0), since `tar xzf` run as root restores the owner;
// - no path leaves the bundle (`..`, absolute paths) or holds a character pbxplan never writes.

/** manifest.json and SHA256SUMS are read into memory: larger ones are refused unread. */
export const MAX_INDEX_BYTES = 16 * 1024 * 1024;

/** Bundle paths are made of these characters only (host names, artifact names, fixed names). */
const PATH_CHARS = /^[A-Za-z0-9._+~%:/-]+$/;

export type EntryKind = 'file' | 'dir' | 'symlink' | 'hardlink' | 'fifo' | 'socket' | 'char-device' | 'block-device' | 'other';

const KIND_TEXT: Record<Exclude<EntryKind, 'file' | 'dir'>, string> = {
  symlink: 'a symbolic link',
  hardlink: 'a hard link',
  fifo: 'a FIFO (named pipe)',
  socket: 'a socket',
  'char-device': 'a character device',
  'block-device': 'a block device',
  other: 'an entry of an unknown type',
};

export interface BundleEntry {
  /** Bundle-relative path, forward slashes, as found (unchecked). */
  path: string;
  kind: EntryKind;
  /** Permission bits including setuid, setgid and sticky (mode & 0o7777). */
  mode: number;
  size: number;
  /** Set when the content was read: files the index expects with the size it expects. */
  sha256?: string;
  /** Archives only: the owner the entry would be restored with. */
  owner?: Owner;
  /** Symbolic and hard links: where they point, for the message. */
  target?: string;
  /** Anything else the reader found wrong with this entry (e.g. a disallowed pax keyword). */
  problems?: string[];
}

export interface ManifestFile {
  path: string;
  size: number;
  mode: number;
  sha256: string;
}

/** What manifest.json and SHA256SUMS say, once parsed and cross-checked. */
export interface BundleIndex {
  /** From manifest.json; empty when it is missing or unreadable. */
  files: Map<string, ManifestFile>;
  /** From SHA256SUMS: path → sha256. */
  sums: Map<string, string>;
  manifestPresent: boolean;
  sumsPresent: boolean;
  /** manifest.json's generatedBy ("pbxplan 0.1.0"); null when absent or unreadable. */
  generatedBy: string | null;
  findings: Finding[];
}

export type FindingKind = 'bad' | 'missing' | 'extra' | 'unsafe' | 'damaged';

export interface Finding {
  kind: FindingKind;
  /** The bundle path the finding is about, escaped for printing ("" for the whole bundle). */
  path: string;
  reason: string;
}

export interface VerifyReport {
  ok: boolean;
  checked: number; // files listed in manifest.json (and found intact or not)
  findings: Finding[];
}

/** A path as it may be printed: control and other invisible characters become escapes, so a
 * hostile entry name cannot rewrite the terminal. */
export function shownPath(p: string): string {
  return p.replace(/[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\\]/g, (c) => (c === '\\' ? '\\\\' : `\\u{${c.codePointAt(0)!.toString(16)}}`));
}

/** Why a bundle path is unacceptable, or null when it is fine. */
export function pathProblem(p: string): string | null {
  if (p === '') return 'an empty path';
  if (p.startsWith('/')) return 'an absolute path, which would be written outside the bundle';
  const segs = p.split('/');
  if (segs.includes('..')) return 'a path with "..", which would be written outside the bundle';
  if (segs.some((s) => s === '' || s === '.')) return 'a path with an empty or "." part';
  if (p.length > 4096 || !PATH_CHARS.test(p)) return 'a path with characters pbxplan never writes';
  return null;
}

const octal = (mode: number) => '0' + mode.toString(8).padStart(3, '0');

/** Why a mode is unsafe (setuid, setgid, sticky, writable by others), or null. */
export function modeProblem(mode: number): string | null {
  const why = [mode & 0o4000 ? 'setuid' : '', mode & 0o2000 ? 'setgid' : '', mode & 0o1000 ? 'sticky' : '', mode & 0o002 ? 'writable by everyone' : ''].filter(Boolean);
  return why.length ? `mode ${octal(mode & 0o7777)} is ${why.join(', ')}` : null;
}

export interface Owner {
  uid: number;
  gid: number;
  uname: string;
  gname: string;
}

/** Why an archive entry's owner is unacceptable (anything but root), or null. */
export function ownerProblem(o: Owner): string | null {
  if (o.uid === 0 && o.gid === 0 && ['', 'root'].includes(o.uname) && ['', 'root'].includes(o.gname)) return null;
  const who = (name: string, id: number, what: string) => (name ? `${shownPath(name)} (${what} ${id})` : `${what} ${id}`);
  return `owned by ${who(o.uname, o.uid, 'uid')}, group ${who(o.gname, o.gid, 'gid')}; every entry must be root's (uid and gid 0, re-pack with --owner=0 --group=0), because tar run as root restores the owner`;
}

function decode(bytes: Uint8Array, what: string, findings: Finding[]): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    findings.push({ kind: 'damaged', path: what, reason: 'is not UTF-8 text' });
    return null;
  }
}

const SUM_LINE = /^([0-9a-f]{64}) [ *](.*)$/;

function parseManifest(bytes: Uint8Array, findings: Finding[]): { files: Map<string, ManifestFile>; generatedBy: string | null } {
  const files = new Map<string, ManifestFile>();
  const result = { files, generatedBy: null as string | null };
  const damaged = (reason: string) => findings.push({ kind: 'damaged', path: 'manifest.json', reason });
  const text = decode(bytes, 'manifest.json', findings);
  if (text === null) return result;
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    damaged('is not valid JSON');
    return result;
  }
  const d = doc as { formatVersion?: unknown; generatedBy?: unknown; files?: unknown };
  if (typeof d !== 'object' || d === null || d.formatVersion !== 1 || typeof d.generatedBy !== 'string' || !Array.isArray(d.files)) {
    damaged('is not a pbxplan manifest (formatVersion 1 with generatedBy and files)');
    return result;
  }
  result.generatedBy = d.generatedBy;
  d.files.forEach((f: unknown, i) => {
    const e = f as { path?: unknown; size?: unknown; mode?: unknown; sha256?: unknown };
    const ok = typeof e === 'object' && e !== null && typeof e.path === 'string' && Number.isSafeInteger(e.size) && (e.size as number) >= 0 && typeof e.mode === 'string' && /^0[0-7]{3,4}$/.test(e.mode) && typeof e.sha256 === 'string' && /^[0-9a-f]{64}$/.test(e.sha256);
    if (!ok) return damaged(`entry ${i + 1} of "files" is not { path, size, mode, sha256 }`);
    const path = e.path as string;
    const problem = pathProblem(path);
    if (problem) return findings.push({ kind: 'unsafe', path: shownPath(path), reason: `manifest.json lists ${problem}` });
    if (path === 'manifest.json' || path === 'SHA256SUMS') return damaged(`lists ${path}, which it cannot describe`);
    if (files.has(path)) return damaged(`lists ${path} twice`);
    const mode = parseInt(e.mode as string, 8);
    const unsafe = modeProblem(mode);
    if (unsafe) findings.push({ kind: 'unsafe', path, reason: `manifest.json gives it ${unsafe}` });
    files.set(path, { path, size: e.size as number, mode, sha256: e.sha256 as string });
  });
  return result;
}

function parseSums(bytes: Uint8Array, findings: Finding[]): Map<string, string> {
  const sums = new Map<string, string>();
  const text = decode(bytes, 'SHA256SUMS', findings);
  if (text === null) return sums;
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (!line && i === lines.length - 1) return; // the final newline
    const m = SUM_LINE.exec(line);
    if (!m) return findings.push({ kind: 'damaged', path: 'SHA256SUMS', reason: `line ${i + 1} is not "<sha256>  <path>"` });
    const [, want, path] = m as unknown as [string, string, string];
    const problem = pathProblem(path);
    if (problem) return findings.push({ kind: 'unsafe', path: shownPath(path), reason: `SHA256SUMS lists ${problem}` });
    if (sums.has(path)) return findings.push({ kind: 'damaged', path: 'SHA256SUMS', reason: `lists ${path} twice` });
    sums.set(path, want);
  });
  return sums;
}

/**
 * Reads manifest.json and SHA256SUMS (null: absent or not readable as a file) and checks them
 * against each other: the same files, the same digests, SHA256SUMS also covering manifest.json.
 */
export function parseIndex(manifest: Uint8Array | null, sums: Uint8Array | null): BundleIndex {
  const findings: Finding[] = [];
  const parsed = manifest === null ? { files: new Map<string, ManifestFile>(), generatedBy: null } : parseManifest(manifest, findings);
  const files = parsed.files;
  const summed = sums === null ? new Map<string, string>() : parseSums(sums, findings);
  if (manifest === null) findings.push({ kind: 'missing', path: 'manifest.json', reason: 'every pbxplan bundle lists its files, sizes, modes and sha256 there' });
  if (sums === null) findings.push({ kind: 'missing', path: 'SHA256SUMS', reason: 'every pbxplan bundle has it' });
  if (manifest !== null && sums !== null) {
    for (const [path, f] of files) {
      const s = summed.get(path);
      if (s === undefined) findings.push({ kind: 'damaged', path: 'SHA256SUMS', reason: `does not list ${path}, which manifest.json lists` });
      else if (s !== f.sha256) findings.push({ kind: 'damaged', path, reason: 'SHA256SUMS and manifest.json give it different sha256' });
    }
    for (const path of summed.keys()) {
      if (path !== 'manifest.json' && !files.has(path)) findings.push({ kind: 'damaged', path: 'SHA256SUMS', reason: `lists ${shownPath(path)}, which manifest.json does not` });
    }
    if (!summed.has('manifest.json')) findings.push({ kind: 'damaged', path: 'SHA256SUMS', reason: 'does not list manifest.json' });
  }
  return { files, sums: summed, manifestPresent: manifest !== null, sumsPresent: sums !== null, generatedBy: parsed.generatedBy, findings };
}

/** Whether the reader should hash an entry's content: only what the index expects, at the size
 * it expects (anything else is a finding without reading it). */
export function expectedSize(index: BundleIndex, path: string): number | null {
  if (path === 'manifest.json' || path === 'SHA256SUMS') return null; // read by the index itself
  return index.files.get(path)?.size ?? null;
}

export interface JudgeInput {
  index: BundleIndex;
  /** Every entry found, manifest.json and SHA256SUMS included. */
  entries: BundleEntry[];
  /** sha256 of manifest.json as found (null when it could not be read). */
  manifestSha256: string | null;
  /** Archives: entries carry owners, and the reader's own findings (damage, where it stopped). */
  readerFindings?: Finding[];
  /** False when the reader stopped early: files not seen are then not reported missing. */
  complete?: boolean;
}

/** The verdict on a bundle. */
export function judgeBundle({ index, entries, manifestSha256, readerFindings = [], complete = true }: JudgeInput): VerifyReport {
  const findings: Finding[] = [...readerFindings, ...index.findings];
  const seen = new Set<string>();
  const folders = new Set<string>();
  for (const path of [...index.files.keys(), 'manifest.json', 'SHA256SUMS']) {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) folders.add(parts.slice(0, i).join('/'));
  }
  for (const e of entries) {
    const shown = shownPath(e.path);
    for (const p of e.problems ?? []) findings.push({ kind: 'unsafe', path: shown, reason: p });
    const problem = pathProblem(e.path);
    if (problem) {
      findings.push({ kind: 'unsafe', path: shown, reason: `${problem}` });
      continue;
    }
    if (seen.has(e.path)) {
      findings.push({ kind: 'damaged', path: shown, reason: 'appears twice' });
      continue;
    }
    seen.add(e.path);
    const badOwner = e.owner ? ownerProblem(e.owner) : null;
    if (badOwner) findings.push({ kind: 'unsafe', path: shown, reason: badOwner });
    const unsafeMode = modeProblem(e.mode);
    if (e.kind !== 'file' && e.kind !== 'dir') {
      findings.push({ kind: 'unsafe', path: shown, reason: `is ${KIND_TEXT[e.kind]}${e.target !== undefined ? ` to ${shownPath(e.target)}` : ''}; a bundle holds only regular files and folders` });
      continue;
    }
    if (unsafeMode) findings.push({ kind: 'unsafe', path: shown, reason: unsafeMode });
    if (e.kind === 'dir') {
      if (!folders.has(e.path)) findings.push({ kind: 'extra', path: `${shown}/`, reason: 'a folder that holds no file of the manifest' });
      continue;
    }
    if (e.path === 'manifest.json' || e.path === 'SHA256SUMS') {
      if (folders.has(e.path)) findings.push({ kind: 'damaged', path: shown, reason: 'is a file where a folder is expected' });
      if (e.path === 'manifest.json' && index.sums.has('manifest.json') && manifestSha256 !== null && manifestSha256 !== index.sums.get('manifest.json')) {
        findings.push({ kind: 'bad', path: shown, reason: 'content differs from SHA256SUMS' });
      }
      continue;
    }
    const want = index.files.get(e.path);
    if (!want) {
      if (index.manifestPresent) findings.push({ kind: 'extra', path: shown, reason: 'not listed in manifest.json' });
      continue;
    }
    if (e.size !== want.size) findings.push({ kind: 'bad', path: shown, reason: `${e.size} bytes, the manifest says ${want.size}` });
    else if (e.sha256 !== undefined && e.sha256 !== want.sha256) findings.push({ kind: 'bad', path: shown, reason: 'content differs from the manifest and SHA256SUMS' });
    else if (e.sha256 === undefined) findings.push({ kind: 'bad', path: shown, reason: 'its content could not be read' });
    if ((e.mode & 0o7777) !== want.mode) findings.push({ kind: 'bad', path: shown, reason: `mode ${octal(e.mode & 0o7777)}, the manifest says ${octal(want.mode)}` });
  }
  if (complete) {
    for (const path of index.files.keys()) if (!seen.has(path)) findings.push({ kind: 'missing', path, reason: '' });
    for (const path of ['manifest.json', 'SHA256SUMS']) {
      if (!seen.has(path) && !findings.some((f) => f.kind === 'missing' && f.path === path)) findings.push({ kind: 'missing', path, reason: '' });
    }
  }
  const order: FindingKind[] = ['damaged', 'unsafe', 'bad', 'missing', 'extra'];
  findings.sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const unique = findings.filter((f, i) => i === 0 || f.kind !== findings[i - 1]!.kind || f.path !== findings[i - 1]!.path || f.reason !== findings[i - 1]!.reason);
  return { ok: unique.length === 0, checked: index.files.size, findings: unique };
}

/** One line per finding, e.g. "bad: artifacts/images/x.tar (content differs …)". */
export function formatReport(report: VerifyReport): string {
  return report.findings.map((f) => `${f.kind}: ${f.path || '(bundle)'}${f.reason ? ` (${f.reason})` : ''}\n`).join('');
}

/**
 * Why `compile --force` may not replace a directory, or null when it may: it must hold an
 * earlier pbxplan bundle, i.e. a manifest.json pbxplan wrote and exactly the files it lists (by
 * name, kind and size; contents are not read), SHA256SUMS, and the folders that hold them.
 * Anything else may be someone's work.
 */
export function replaceProblem(index: BundleIndex, entries: BundleEntry[]): string | null {
  if (!index.manifestPresent) return 'holds no manifest.json, so it is not a pbxplan bundle';
  if (index.generatedBy === null || !/^pbxplan\b/.test(index.generatedBy) || index.findings.some((f) => f.path === 'manifest.json' && f.kind === 'damaged')) {
    return 'holds a manifest.json that pbxplan did not write';
  }
  const report = judgeBundle({ index, entries: entries.map((e) => (e.kind === 'file' ? { ...e, sha256: index.files.get(e.path)?.sha256 ?? '' } : e)), manifestSha256: null });
  const changed = report.findings.find((f) => f.kind !== 'damaged' || f.path !== 'SHA256SUMS');
  if (!changed) return null;
  const what = { extra: 'holds a file pbxplan did not write', missing: 'lacks a file its manifest lists', bad: 'holds a file changed since pbxplan wrote it', unsafe: 'holds an entry pbxplan never writes', damaged: 'is damaged' }[changed.kind];
  return `${what}: ${changed.path}${changed.reason ? ` (${changed.reason})` : ''}`;
}
