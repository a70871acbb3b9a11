#!/usr/bin/env node
// The only module that touches argv, stdio, the file system and exit codes.
// Exit codes: 0 ok · 1 the spec has errors (or warnings under --strict) · 2 usage or I/O error ·
// 4 (verify) the bundle is damaged.
import { createHash } from 'node:crypto';
import { chmodSync, closeSync, createReadStream, createWriteStream, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, realpathSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createGunzip } from 'node:zlib';
import { ARTIFACT_NAME, ARTIFACT_WHAT, artifactFile, closest, CODES, compareSums, compile, createToolchain, formatDiagnostics, formatReport, gzipStream, howToObtain, isCode, packageVersion, readSchema, sourcePath, starterSpecs, TarParser, tarEntries, tarStream } from './index.js';
import type { ArtifactCopy, ArtifactSource, CompileOptions, CompileResult, DiagnosticFormat, Plan, VerifyReport } from './index.js';

class UsageError extends Error {}

const HELP: Record<string, string> = {
  main: `pbxplan — compile a PortSIP PBX v22 cluster spec into an offline install bundle

Usage: pbxplan <command> [options]

Commands:
  validate SPEC           check the spec; print every problem (SPEC - reads stdin)
  compile SPEC -o DIR     check, then write the bundle to DIR
  plan SPEC               print the plan (plan.json) to stdout
  artifacts SPEC          list the files an air-gapped site must carry
  verify PATH             check a bundle directory or archive against its SHA256SUMS
  schema                  print the JSON Schema of the spec
  explain CODE            explain a diagnostic code
  init [-o FILE]          print (or write) a commented starter spec

Common options:
  --format FORMAT              pretty (default), short, json or sarif (SARIF 2.1.0)
  --strict                     treat warnings as errors
  --today YYYY-MM-DD           the date checks compare against (default: today, UTC)
  --color auto|always|never    colour in pretty output (NO_COLOR is honoured)
  -h, --help                   help for a command

Exit codes: 0 ok, 1 the spec has errors (or warnings with --strict), 2 usage or I/O error,
4 (verify) the bundle is damaged.
Run 'pbxplan <command> --help' for details.
`,
  validate: `Usage: pbxplan validate SPEC [--format pretty|short|json|sarif] [--strict] [--today YYYY-MM-DD]

Loads SPEC, validates it against the schema and checks every invariant. Prints all problems
found in one run. Writes nothing. Exit 0 when valid, 1 when not, 2 on usage or I/O errors.
`,
  compile: `Usage: pbxplan compile SPEC -o DIR [--force] [--artifacts ADIR [--allow-missing]] [--archive]
                       [--format …] [--strict] [--today YYYY-MM-DD]

Checks SPEC and writes the bundle (RUNBOOK.md, plan.json, manifest.json, SHA256SUMS, verify.sh
and hosts/<hostname>/install.sh) to DIR. Refuses a non-empty DIR unless --force is given. The
bundle is written to a temporary directory beside DIR and moved into place only when complete,
so a failed run leaves nothing half-written. The same spec always gives the same bytes.

  --artifacts ADIR   copy the files an air-gapped site needs from ADIR into the bundle's
                     artifacts/ folder (ADIR has the same layout: scripts/, ha/, images/, debs/;
                     see 'pbxplan artifacts SPEC'). Each missing file is an error.
  --allow-missing    missing artifacts are warnings; the runbook lists them under "Still to obtain"
  --archive          also write <metadata.name>.tar.gz in DIR's parent directory: a reproducible
                     archive of the bundle, whose entries sit under <metadata.name>/
`,
  plan: `Usage: pbxplan plan SPEC [--format …] [--strict] [--today YYYY-MM-DD]

Prints the plan, the document written as plan.json, to stdout. Diagnostics go to stderr.
`,
  artifacts: `Usage: pbxplan artifacts SPEC [--artifacts ADIR] [--allow-missing] [--format pretty|short|json]
                         [--strict] [--today YYYY-MM-DD]

Lists every file an air-gapped site must carry for SPEC, where it goes in the artifacts
directory (the layout of the bundle's artifacts/ folder), why, and the hosts that use it:
the PortSIP control scripts, the vendor HA package, one tarball per image and the Debian
packages for Docker Engine, the Compose plugin and firewalld. --format json prints a versioned
JSON document instead of text. With --artifacts ADIR, each entry says whether ADIR has it;
the exit code is then 1 when something is missing (unless --allow-missing).
`,
  verify: `Usage: pbxplan verify PATH

Checks a bundle directory, or a bundle archive written by 'compile --archive', against the
SHA256SUMS inside it: every listed file must be there with the same content, and nothing else
may be. Prints each bad, missing or extra file. Exit 0 when intact, 4 when not, 2 when PATH
cannot be read. Inside a bundle, ./verify.sh does the same with bash and coreutils only.
`,
  schema: `Usage: pbxplan schema

Prints the JSON Schema (2020-12) of the cluster spec, for editors and other tools.
`,
  explain: `Usage: pbxplan explain CODE

Prints what a diagnostic code means and how to fix it. 'pbxplan explain --list' lists every code.
`,
  init: `Usage: pbxplan init [-o FILE] [--force]

Prints a commented starter spec (a PBX with one server of each cluster role) that compiles as
it is. With -o, writes it to FILE instead (refusing to overwrite without --force).
`,
};

interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  stderrIsTty: boolean;
  env: NodeJS.ProcessEnv;
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** `-` reads the spec from standard input. */
function readSpec(path: string): string {
  try {
    return readFileSync(path === '-' ? 0 : path, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

function useColor(flag: string | undefined, io: Io): boolean {
  if (flag === 'always') return true;
  if (flag === 'never') return false;
  if (flag !== undefined && flag !== 'auto') throw new UsageError(`--color takes auto, always or never, not "${flag}"`);
  return io.stderrIsTty && !io.env['NO_COLOR'];
}

function formatOf(flag: string | undefined): DiagnosticFormat {
  const f = flag ?? 'pretty';
  if (f !== 'pretty' && f !== 'short' && f !== 'json' && f !== 'sarif') throw new UsageError(`--format takes pretty, short, json or sarif, not "${f}"`);
  return f;
}

const SPEC_OPTIONS = {
  format: { type: 'string' },
  strict: { type: 'boolean' },
  today: { type: 'string' },
  color: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  out: { type: 'string', short: 'o' },
  force: { type: 'boolean' },
  artifacts: { type: 'string' },
  'allow-missing': { type: 'boolean' },
  archive: { type: 'boolean' },
} as const;

type SpecCommand = 'validate' | 'compile' | 'plan' | 'artifacts';

/** Which options each command takes, beyond the common ones. */
const OWN_OPTIONS: Record<SpecCommand, string[]> = {
  validate: [],
  plan: [],
  compile: ['out', 'force', 'artifacts', 'allow-missing', 'archive'],
  artifacts: ['artifacts', 'allow-missing'],
};

function runSpecCommand(cmd: SpecCommand, argv: string[], io: Io): number | Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: SPEC_OPTIONS });
  if (values.help) {
    io.out(HELP[cmd]!);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(`${cmd} takes exactly one SPEC file`);
  for (const opt of ['out', 'force', 'artifacts', 'allow-missing', 'archive'] as const) {
    if (values[opt] !== undefined && !OWN_OPTIONS[cmd].includes(opt)) {
      const owners = (Object.keys(OWN_OPTIONS) as SpecCommand[]).filter((c) => OWN_OPTIONS[c].includes(opt));
      throw new UsageError(`${opt === 'out' ? '-o' : `--${opt}`} belongs to ${owners.join(' and ')}`);
    }
  }
  if (cmd === 'compile' && !values.out) throw new UsageError('compile needs -o DIR');
  if (values['allow-missing'] && values.artifacts === undefined) throw new UsageError('--allow-missing needs --artifacts DIR');
  const day = values.today ?? today();
  if (!/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(day)) throw new UsageError(`--today takes YYYY-MM-DD, not "${day}"`);
  const format = formatOf(values.format);
  const color = useColor(values.color, io);
  const file = positionals[0] === '-' ? '<stdin>' : positionals[0]!;
  const text = readSpec(positionals[0]!);
  if (cmd === 'compile') checkOutDir(values.out!, values.force ?? false);

  const generatedBy = io.env['PBXPLAN_GENERATED_BY'] || `pbxplan ${packageVersion()}`;
  const opts: CompileOptions = { today: day, generatedBy, strict: values.strict ?? false, checkOnly: cmd === 'validate', toolchain: createToolchain() };
  const printDiagnostics = (result: CompileResult) => {
    const diagText = formatDiagnostics(result.diagnostics, format, { file, source: text, color, toolVersion: packageVersion() });
    if (format === 'json' || format === 'sarif') {
      // SARIF is what CI uploads: on stdout for validate and compile (plan's stdout is the plan).
      (cmd === 'validate' || (format === 'sarif' && cmd === 'compile') ? io.out : io.err)(diagText);
    } else if (result.diagnostics.length || cmd === 'validate') {
      io.err(diagText.endsWith('\n') ? diagText : diagText + '\n');
    }
  };

  const artifactsDir = values.artifacts ?? null;
  const allowMissing = cmd === 'artifacts' ? true : (values['allow-missing'] ?? false);
  const result: CompileResult = compile(text, { ...opts, host: artifactsDir === null ? {} : { artifacts: artifactSource(artifactsDir, artifactsDir, allowMissing) } });
  printDiagnostics(result);
  if (!result.ok) return 1;
  if (cmd === 'plan') io.out(JSON.stringify(result.plan, null, 2) + '\n');
  if (cmd === 'artifacts') return printArtifacts(result.plan!, artifactsDir, format, io, values['allow-missing'] ?? false);
  if (cmd === 'compile') return writeCompiled(values.out!, result, { artifactsDir, archive: values.archive ?? false, force: values.force ?? false }, io);
  return 0;
}

function checkOutDir(dir: string, force: boolean): void {
  if (!existsSync(dir)) return;
  if (!statSync(dir).isDirectory()) throw new UsageError(`${dir} exists and is not a directory`);
  if (readdirSync(dir).length && !force) throw new UsageError(`${dir} is not empty; use --force to replace it`);
}

// ---- artifacts ------------------------------------------------------------------------------

/** Every regular file under dir (symbolic links followed), relative, forward slashes, sorted. */
function listTree(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => {
      const p = join(dir, e.name);
      const st = statSync(p);
      if (st.isDirectory()) return listTree(p, base);
      return st.isFile() ? [relative(base, p).split('\\').join('/')] : [];
    })
    .sort();
}

const CHUNK = 1 << 20;

/** Size and sha256 of a file, read in chunks (image tarballs are large). */
function hashFile(path: string): { size: number; sha256: string } {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(CHUNK);
    const h = createHash('sha256');
    let size = 0;
    for (let n = readSync(fd, buf, 0, CHUNK, null); n > 0; n = readSync(fd, buf, 0, CHUNK, null)) {
      h.update(buf.subarray(0, n));
      size += n;
    }
    return { size, sha256: h.digest('hex') };
  } finally {
    closeSync(fd);
  }
}

/**
 * The directory given to --artifacts as the compiler reads it: every file name (checked for
 * shell-safe names), and size and sha256 of the files the plan asks for. `label` names the
 * directory in messages. Shared with the golden runner.
 */
export function artifactSource(dir: string, label: string, allowMissing: boolean): ArtifactSource {
  return {
    label,
    allowMissing,
    list() {
      try {
        if (!statSync(dir).isDirectory()) throw new UsageError(`--artifacts ${dir} is not a directory`);
        return listTree(dir);
      } catch (e) {
        if (e instanceof UsageError) throw e;
        throw new UsageError(`cannot read the artifacts directory ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
    },
    digest(path) {
      if (!path.split('/').every((seg) => ARTIFACT_NAME.test(seg))) {
        throw new UsageError(`${join(dir, path)}: unsupported file name; use letters, digits and . _ + ~ % : - only`);
      }
      try {
        return hashFile(join(dir, path));
      } catch (e) {
        throw new UsageError(`cannot read ${join(dir, path)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
    },
  };
}

const ARTIFACTS_FORMAT_VERSION = 1;

function printArtifacts(plan: Plan, dir: string | null, format: DiagnosticFormat, io: Io, allowMissing: boolean): number {
  const artifacts = plan.airgap.artifacts;
  if (format === 'json') {
    const doc = {
      formatVersion: ARTIFACTS_FORMAT_VERSION,
      cluster: plan.cluster.name,
      artifactsDir: dir,
      artifacts: artifacts.map((a) => ({
        id: a.id,
        kind: a.kind,
        path: sourcePath(a.path),
        bundlePath: a.path,
        required: a.required,
        image: a.image,
        why: a.why,
        hosts: a.hosts,
        state: a.state,
        files: a.files,
        missing: a.missing,
        obtain: a.required.map((name) => ({ file: artifactFile(a, name), how: howToObtain(a, name) })),
      })),
    };
    io.out(JSON.stringify(doc, null, 2) + '\n');
  } else {
    const all = plan.hosts.length;
    const hostsText = (hosts: string[]) => (hosts.length === all && all > 1 ? `every host (${all})` : hosts.join(', '));
    let out = `Artifacts for ${plan.cluster.name}: put them into one directory with this layout, then run\n` + `  pbxplan compile SPEC -o OUT --artifacts <that directory>\n\n`;
    for (const a of artifacts) {
      for (const name of a.required) {
        const state = !dir ? '' : a.missing.includes(name) ? '[missing] ' : '[ok]      ';
        out += `${state}${artifactFile(a, name).padEnd(44)} ${hostsText(a.hosts)}\n`;
        out += `${' '.repeat(state.length)}    ${ARTIFACT_WHAT[a.kind]}${a.image ? ` ${a.image}` : ''}: ${howToObtain(a, name)}\n`;
      }
    }
    io.out(out);
  }
  const missing = artifacts.reduce((n, a) => n + a.missing.length, 0);
  if (dir) io.err(`${dir}: ${missing ? `${missing} of the needed files missing` : 'every needed file present'}\n`);
  return missing && !allowMissing ? 1 : 0;
}

// ---- writing the bundle -------------------------------------------------------------------------

interface Staged {
  target: string;
  tmp: string;
  old: string;
}

/** Copies a file while hashing it, and refuses it if it is not what was scanned. */
function copyChecked(from: string, to: string, c: ArtifactCopy): void {
  const src = openSync(from, 'r');
  const dst = openSync(to, 'w', c.mode);
  try {
    const buf = Buffer.allocUnsafe(CHUNK);
    const h = createHash('sha256');
    for (let n = readSync(src, buf, 0, CHUNK, null); n > 0; n = readSync(src, buf, 0, CHUNK, null)) {
      h.update(buf.subarray(0, n));
      writeSync(dst, buf, 0, n);
    }
    if (h.digest('hex') !== c.sha256) throw new UsageError(`${from} changed while the bundle was written; run compile again`);
  } finally {
    closeSync(src);
    closeSync(dst);
  }
}

/** Writes everything into a temporary directory beside the target. */
function stageBundle(dir: string, files: { path: string; content: string; mode: number }[], copies: ArtifactCopy[], artifactsDir: string | null): Staged {
  const target = resolve(dir);
  const parent = dirname(target);
  const staged = { target, tmp: join(parent, `.${basename(target)}.pbxplan-${process.pid}.tmp`), old: join(parent, `.${basename(target)}.pbxplan-${process.pid}.old`) };
  try {
    mkdirSync(parent, { recursive: true });
    rmSync(staged.tmp, { recursive: true, force: true });
    for (const f of files) {
      const p = join(staged.tmp, ...f.path.split('/'));
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, f.content, { mode: f.mode });
      chmodSync(p, f.mode); // the umask must not change the bundle's modes
    }
    for (const c of copies) {
      const p = join(staged.tmp, ...c.path.split('/'));
      mkdirSync(dirname(p), { recursive: true });
      copyChecked(join(artifactsDir!, ...c.from.split('/')), p, c);
      chmodSync(p, c.mode);
    }
    return staged;
  } catch (e) {
    rmSync(staged.tmp, { recursive: true, force: true });
    if (e instanceof UsageError) throw e;
    throw new UsageError(`cannot write ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** Renames the staged bundle (and archive) into place; the old bundle is removed only after. */
function commitBundle(dir: string, s: Staged, archive: { tmp: string; path: string } | null): void {
  try {
    if (existsSync(s.target)) renameSync(s.target, s.old);
    renameSync(s.tmp, s.target);
    if (archive) renameSync(archive.tmp, archive.path);
    rmSync(s.old, { recursive: true, force: true });
  } catch (e) {
    rmSync(s.tmp, { recursive: true, force: true });
    if (archive) rmSync(archive.tmp, { force: true });
    if (existsSync(s.old) && !existsSync(s.target)) renameSync(s.old, s.target);
    throw new UsageError(`cannot write ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** Where `compile --archive` writes: <metadata.name>.tar.gz in the bundle directory's parent. */
export function archivePathFor(dir: string, clusterName: string): string {
  return join(dirname(resolve(dir)), `${clusterName}.tar.gz`);
}

/**
 * Streams the staged bundle into a reproducible .tar.gz (entries under `top`/) and returns its
 * size and sha256. Contents are read back from the staged files: the archive holds what the
 * directory holds.
 */
async function writeArchive(stagedDir: string, files: { path: string; mode: number; size: number }[], top: string, out: string): Promise<{ size: number; sha256: string }> {
  const entries = tarEntries(top, files);
  const content = (e: { path: string }) => createReadStream(join(stagedDir, ...e.path.slice(top.length + 1).split('/'))) as AsyncIterable<Buffer>;
  const h = createHash('sha256');
  let size = 0;
  async function* hashed(src: AsyncIterable<Buffer>) {
    for await (const chunk of src) {
      h.update(chunk);
      size += chunk.length;
      yield chunk;
    }
  }
  await pipeline(Readable.from(hashed(gzipStream(tarStream(entries, content)))), createWriteStream(out, { mode: 0o644 }));
  return { size, sha256: h.digest('hex') };
}

function writeCompiled(dir: string, result: CompileResult, o: { artifactsDir: string | null; archive: boolean; force: boolean }, io: Io): number | Promise<number> {
  const plan = result.plan!;
  const files = result.files!;
  const copies = result.copies ?? [];
  const archivePath = o.archive ? archivePathFor(dir, plan.cluster.name) : null;
  if (archivePath) {
    if (existsSync(archivePath) && statSync(archivePath).isDirectory()) throw new UsageError(`${archivePath} is a directory; the archive cannot be written there`);
    if (existsSync(archivePath) && !o.force) throw new UsageError(`${archivePath} exists; use --force to replace it`);
  }
  const staged = stageBundle(dir, files, copies, o.artifactsDir);
  const hosts = plan.hosts.length;
  const done = `wrote ${files.length + copies.length} files for ${hosts} host${hosts === 1 ? '' : 's'} to ${dir}; start with ${join(dir, 'RUNBOOK.md')}\n`;
  if (!archivePath) {
    commitBundle(dir, staged, null);
    io.err(done);
    return 0;
  }
  const tmp = `${archivePath}.pbxplan-${process.pid}.tmp`;
  const listing = [...files.map((f) => ({ path: f.path, mode: f.mode, size: Buffer.byteLength(f.content, 'utf8') })), ...copies.map((c) => ({ path: c.path, mode: c.mode, size: c.size }))];
  return writeArchive(staged.tmp, listing, plan.cluster.name, tmp).then(
    ({ size, sha256 }) => {
      commitBundle(dir, staged, { tmp, path: archivePath });
      io.err(done);
      io.err(`wrote ${archivePath} (${size} bytes, sha256 ${sha256})\n`);
      return 0;
    },
    (e: unknown) => {
      rmSync(staged.tmp, { recursive: true, force: true });
      rmSync(tmp, { force: true });
      throw new UsageError(`cannot write ${archivePath}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    },
  );
}

// ---- verify ---------------------------------------------------------------------------------

function verifyDirectory(dir: string): VerifyReport {
  const found = new Map<string, string>();
  for (const path of listTree(dir)) found.set(path, hashFile(join(dir, ...path.split('/'))).sha256);
  const sumsPath = join(dir, 'SHA256SUMS');
  return compareSums(existsSync(sumsPath) ? readFileSync(sumsPath, 'utf8') : null, found);
}

/** Reads a .tar.gz written by compile --archive: every entry under one top-level folder. */
async function verifyArchive(path: string): Promise<VerifyReport> {
  const found = new Map<string, string>();
  const problems: string[] = [];
  let sums: string | null = null;
  let top: string | null = null;
  let rel: string | null = null;
  let hash = createHash('sha256');
  let kept: Buffer[] | null = null;
  const parser = new TarParser({
    entry(item) {
      rel = null;
      const slash = item.path.indexOf('/');
      const first = slash === -1 ? item.path : item.path.slice(0, slash);
      top ??= first;
      if (first !== top || (slash === -1 && item.type !== 'dir')) {
        problems.push(`entry outside ${top}/: ${item.path}`);
        return;
      }
      if (item.type === 'dir') return;
      if (item.type !== 'file') {
        problems.push(`entry of type "${item.typeflag}" (not a file or folder): ${item.path}`);
        return;
      }
      rel = item.path.slice(slash + 1);
      if (found.has(rel)) problems.push(`entry twice in the archive: ${item.path}`);
      hash = createHash('sha256');
      kept = rel === 'SHA256SUMS' ? [] : null;
    },
    data(chunk) {
      if (rel === null) return;
      hash.update(chunk);
      kept?.push(Buffer.from(chunk));
    },
    end() {
      if (rel === null) return;
      found.set(rel, hash.digest('hex'));
      if (kept) sums = Buffer.concat(kept).toString('utf8');
      rel = null;
    },
  });
  try {
    const gunzip = createGunzip();
    const src = createReadStream(path);
    src.on('error', (e) => gunzip.destroy(e));
    src.pipe(gunzip);
    for await (const chunk of gunzip) parser.push(chunk as Buffer);
    if (!parser.complete) problems.push('the archive ends before its end-of-archive marker (truncated)');
  } catch (e) {
    // Past a corrupt byte of the compressed stream every file is garbage: name the damage only.
    const report = compareSums(sums, new Map(), [`the archive cannot be read (${(e as Error).message}); its compressed data is corrupt or cut short`]);
    return { ...report, bad: [], missing: [], extra: [] };
  }
  return compareSums(sums, found, problems);
}

async function runVerify(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    io.out(HELP['verify']!);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('verify takes one PATH (a bundle directory or archive)');
  const path = positionals[0]!;
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch (e) {
    throw new UsageError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const report = isDir ? verifyDirectory(path) : await verifyArchive(path);
  io.out(formatReport(report));
  if (report.ok) {
    io.err(`${path}: intact (${report.checked} files)\n`);
    return 0;
  }
  const n = report.bad.length + report.missing.length + report.extra.length + report.problems.length;
  io.err(`${path}: ${n} finding${n === 1 ? '' : 's'}; do not install from this copy\n`);
  return 4;
}

function runExplain(argv: string[], io: Io): number {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { help: { type: 'boolean', short: 'h' }, list: { type: 'boolean' } } });
  if (values.help) {
    io.out(HELP['explain']!);
    return 0;
  }
  if (values.list) {
    for (const [code, e] of Object.entries(CODES)) io.out(`${code.padEnd(32)} ${e.severity}\n`);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('explain takes one CODE (or --list)');
  const code = positionals[0]!;
  if (!isCode(code)) {
    const near = closest(code, Object.keys(CODES));
    throw new UsageError(`unknown code "${code}"${near ? `; did you mean "${near}"?` : ''} ('pbxplan explain --list' lists them)`);
  }
  const e = CODES[code];
  io.out(`${code} (${e.severity})\n\n${e.doc}\n\nMessage: ${e.message}\nHint:    ${e.hint}\n`);
  return 0;
}

function runSchema(argv: string[], io: Io): number {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    io.out(HELP['schema']!);
    return 0;
  }
  if (positionals.length) throw new UsageError('schema takes no arguments');
  io.out(JSON.stringify(readSchema(), null, 2) + '\n');
  return 0;
}

function runInit(argv: string[], io: Io): number {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { help: { type: 'boolean', short: 'h' }, out: { type: 'string', short: 'o' }, force: { type: 'boolean' } } });
  if (values.help) {
    io.out(HELP['init']!);
    return 0;
  }
  if (positionals.length) throw new UsageError('init takes no arguments (use -o FILE to write a file)');
  const text = starterSpecs()['cluster']!;
  if (!values.out) {
    io.out(text);
    return 0;
  }
  if (existsSync(values.out) && !values.force) throw new UsageError(`${values.out} exists; use --force to overwrite it`);
  try {
    writeFileSync(values.out, text);
  } catch (e) {
    throw new UsageError(`cannot write ${values.out}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  io.err(`wrote ${values.out}; edit it, then run: pbxplan validate ${values.out}\n`);
  return 0;
}

/** Usage errors (and parseArgs' own) become exit 2 with one line; anything else is a bug. */
function usageExit(e: unknown, io: Io): number {
  // parseArgs reports unknown options with a TypeError carrying an ERR_PARSE_ARGS_* code.
  const code = (e as NodeJS.ErrnoException).code ?? '';
  if (e instanceof UsageError || code.startsWith('ERR_PARSE_ARGS')) {
    io.err(`pbxplan: ${(e as Error).message}\n`);
    return 2;
  }
  throw e;
}

const COMMANDS = ['validate', 'compile', 'plan', 'artifacts', 'verify', 'schema', 'explain', 'init'];

/** Commands that stream large files (verify, compile --archive) return a promise. */
export function main(argv: string[], io: Io): number | Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    let r: number | Promise<number>;
    switch (cmd) {
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        io.out(HELP['main']!);
        return cmd === undefined ? 2 : 0;
      case '--version':
      case '-V':
        io.out(`pbxplan ${packageVersion()}\n`);
        return 0;
      case 'validate':
      case 'compile':
      case 'plan':
      case 'artifacts':
        r = runSpecCommand(cmd, rest, io);
        break;
      case 'verify':
        r = runVerify(rest, io);
        break;
      case 'explain':
        return runExplain(rest, io);
      case 'schema':
        return runSchema(rest, io);
      case 'init':
        return runInit(rest, io);
      default: {
        const near = closest(cmd, COMMANDS);
        throw new UsageError(`unknown command "${cmd}"${near ? `; did you mean "${near}"?` : ''}`);
      }
    }
    return typeof r === 'number' ? r : r.catch((e: unknown) => usageExit(e, io));
  } catch (e) {
    return usageExit(e, io);
  }
}

// Run only when executed (the bin link, node dist/cli.js, tsx src/cli.ts), not when imported by tests.
const isEntry = !!process.argv[1] && existsSync(process.argv[1]) && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
if (isEntry) {
  const code = main(process.argv.slice(2), {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
    stderrIsTty: process.stderr.isTTY ?? false,
    env: process.env,
  });
  if (typeof code === 'number') process.exitCode = code;
  else void code.then((c) => (process.exitCode = c));
}
