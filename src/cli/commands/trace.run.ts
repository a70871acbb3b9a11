// pbxplan trace: what it does when run (its table entry, help and options are in trace.ts, loaded
// for every command line; this module only when the command runs).
import { createHash } from 'node:crypto';
import { isAbsolute, join, posix, relative, resolve, sep } from 'node:path';
import { describeRegion, describeSection, isStepRegion, parseSourceMap, regionSpan, SOURCEMAP_PATH, traceLine, type SourceMap } from '../../compiler.js';
import { CliError, UsageError } from '../errors.js';
import { findBundleRoot, readBundleFile } from '../io/bundle-file.js';
import { decodeSpec, readSpec } from '../io/spec-file.js';
import { printable } from '../io/terminal.js';
import type { CommandContext } from '../command.js';

/** Larger than any real map or manifest (a 50-host bundle's map is well under 1 MiB). */
const MAX_MAP_BYTES = 32 * 1024 * 1024;
/** How much of a spec line is shown. */
const SHOWN = 120;

/** "hosts/pbx-main/install.sh:120" → the path and the line. */
function location(arg: string, command: string): { path: string; line: number } {
  const m = /^(.+):([0-9]+)$/.exec(arg);
  if (!m) throw new UsageError(`"${printable(arg)}" is not FILE:LINE; e.g. hosts/pbx-main/install.sh:120 or RUNBOOK.md:40`, command);
  const line = Number(m[2]);
  if (!Number.isSafeInteger(line) || line < 1) throw new UsageError(`line ${m[2]} does not exist: lines count from 1`, command);
  return { path: m[1]!, line };
}

/** The bundle folder and the file's path inside it (forward slashes). */
function place(path: string, bundle: string | undefined): { root: string; rel: string } {
  const abs = resolve(path);
  const root = bundle !== undefined ? resolve(bundle) : findBundleRoot(join(abs, '..'), SOURCEMAP_PATH);
  if (!root) throw new CliError(`no bundle around ${printable(path)}: no folder above it holds ${SOURCEMAP_PATH} and manifest.json; name the bundle with --bundle DIR`);
  const inside = relative(root, abs);
  // With --bundle, a relative path that does not lead into the bundle from here is bundle-relative.
  const rel = bundle !== undefined && !isAbsolute(path) && (inside === '..' || inside.startsWith(`..${sep}`)) ? path : inside;
  const normal = posix.normalize(rel.split(sep).join('/'));
  if (normal === '.' || normal.endsWith('/')) throw new CliError(`${printable(path)} names a folder; name a file of the bundle and a line, e.g. hosts/<host>/install.sh:LINE`);
  if (normal.startsWith('../') || normal === '..' || isAbsolute(normal)) throw new CliError(`${printable(path)} is not inside the bundle ${printable(root)}; name a file of the bundle, e.g. hosts/<host>/install.sh:LINE`);
  return { root, rel: normal };
}

function readMap(root: string): SourceMap {
  const file = join(root, SOURCEMAP_PATH);
  const map = parseSourceMap(readBundleFile(file, MAX_MAP_BYTES).toString('utf8'));
  if (typeof map === 'string') throw new CliError(`${printable(file)} cannot be read as a source map: ${map}; compile the bundle again (bundles from before pbxplan had trace have none)`);
  return map;
}

/** A warning when the file was changed after compile: its lines are no longer the map's. */
function edited(root: string, rel: string): string | null {
  try {
    const manifest = JSON.parse(readBundleFile(join(root, 'manifest.json'), MAX_MAP_BYTES).toString('utf8')) as { files?: { path: string; sha256: string }[] };
    const entry = manifest.files?.find((f) => f.path === rel);
    if (!entry) return null;
    const sum = createHash('sha256').update(readBundleFile(join(root, rel), MAX_MAP_BYTES)).digest('hex');
    return sum === entry.sha256 ? null : `warning: ${rel} differs from the bundle's manifest.json (edited since it was compiled?): its lines may not be the ones the map names\n`;
  } catch {
    return null; // a missing or unreadable file: the map still answers; 'pbxplan verify' judges the bundle
  }
}

/** The spec's lines, when --spec names the file the bundle was compiled from. */
async function specLines(file: string | undefined, map: SourceMap): Promise<string[] | null> {
  if (file === undefined) return null;
  const input = await readSpec(file);
  const sum = createHash('sha256').update(input.bytes).digest('hex');
  if (sum !== map.spec.sha256) {
    throw new CliError(`${printable(file)} is not the spec this bundle was compiled from (its sha256 is ${sum.slice(0, 12)}…, the bundle's ${map.spec.sha256.slice(0, 12)}…); name that spec, or leave out --spec to see the places without their text`);
  }
  return decodeSpec(input).split(/\r?\n/);
}

const shown = (text: string) => {
  const t = printable(text.replace(/\s+$/, ''));
  return t.length > SHOWN ? `${t.slice(0, SHOWN)}…` : t;
};

export async function run(ctx: CommandContext): Promise<number> {
  const { path, line } = location(ctx.positionals[0]!, ctx.command);
  const { root, rel } = place(path, ctx.values['bundle'] as string | undefined);
  const map = readMap(root);
  const result = traceLine(map, rel, line);
  if (result.kind === 'unmapped') {
    const mapped = map.files.map((f) => f.path);
    throw new CliError(`${printable(rel)} is not in this bundle's source map; it maps ${mapped.length ? mapped.map(printable).join(', ') : 'no file'}`);
  }
  if (result.kind === 'beyond') throw new CliError(`${printable(rel)} has ${result.file.lines} lines; line ${line} is not one of them`);
  const warning = edited(root, rel);
  if (warning) ctx.io.err(warning);
  if (result.kind === 'outside') {
    const span = regionSpan(result.file);
    const where = span ? `; its ${result.file.regions.some(isStepRegion) ? 'steps' : 'items'} are on lines ${span.start}–${span.end}` : '';
    const section = result.section ? ` (lines ${result.section.start}–${result.section.end})` : '';
    ctx.io.err(`${printable(rel)}:${line} belongs to no step or runbook item: it is ${printable(describeSection(rel, result.section))}${section}${where}\n`);
    return 1;
  }
  const text = await specLines(ctx.values['spec'] as string | undefined, map);
  const { region } = result;
  const origin = region.origin.map((o) => ({ ...o, at: `${map.spec.name}:${o.line}`, text: text ? (text[o.line - 1] ?? '') : null }));
  if (ctx.values['json']) {
    const { origin: _o, ...what } = region;
    ctx.io.out(JSON.stringify({ file: rel, line, ...what, spec: map.spec.name, origin: origin.map(({ at: _at, text: t, ...o }) => (t === null ? o : { ...o, text: t })) }, null, 2) + '\n');
    return 0;
  }
  const width = Math.max(...origin.map((o) => o.at.length + 2 + o.path.length));
  const lines = origin.map((o) => {
    const head = `${o.at}  ${o.path}`;
    return `  ${printable(o.text === null ? head : head.padEnd(width))}${o.text === null ? '' : `  | ${shown(o.text)}`}\n`;
  });
  ctx.io.out(`${printable(rel)}:${line}: ${printable(describeRegion(region))} (lines ${region.start}–${region.end})\n${lines.join('')}`);
  return 0;
}
