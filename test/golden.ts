// Shared by the golden tests and the CLI test: how a fixture is compiled and what its
// expected/ folder must hold (the whole bundle, plus diagnostics.txt when there are any).
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { artifactsDir as artifactsSource } from '../src/cli/io/artifacts-dir.js';
import { compile, type Toolchain } from '../src/index.js';
import { formatDiagnostics } from '../src/diagnostics/format.js';

export const REPO = fileURLToPath(new URL('../', import.meta.url));
export const FIXTURES = join(REPO, 'fixtures');
/** Fixed inputs so that goldens do not change with the calendar or the package version. */
export const GOLDEN_TODAY = '2026-01-01';
export const GOLDEN_GENERATED_BY = 'pbxplan (golden)';

export function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listFiles(join(dir, e.name)) : [join(dir, e.name)]))
    .sort();
}

/** Every fixture folder: one holding spec.yaml. */
export function fixtureDirs(): string[] {
  return listFiles(FIXTURES)
    .filter((f) => f.endsWith('/spec.yaml') && !f.includes('/expected/'))
    .map((f) => dirname(f));
}

/** What a fixture compiles to: bundle-relative path → text. A fixture with an `artifacts/`
 * folder beside its spec (small stand-in files) is compiled as with `--artifacts artifacts`,
 * and the copied files are part of its expected bundle; one with `options.json` with the
 * options it names (fixtureOptions). */
export function compileFixture(dir: string, toolchain: Toolchain): Map<string, string> {
  // The bytes, as the CLI reads them: a fixture may hold bytes that are not UTF-8 (yaml_invalid_utf8).
  const text = readFileSync(join(dir, 'spec.yaml'));
  const artifactsDir = join(dir, 'artifacts');
  const host = existsSync(artifactsDir) ? { artifacts: artifactsSource(artifactsDir, 'artifacts', false) } : {};
  const result = compile(text, { today: GOLDEN_TODAY, generatedBy: GOLDEN_GENERATED_BY, toolchain, host, ...fixtureOptions(dir) });
  const out = new Map<string, string>();
  if (result.diagnostics.length) {
    out.set('diagnostics.txt', formatDiagnostics(result.diagnostics, 'pretty', { file: 'spec.yaml', source: text, color: false }));
  }
  for (const f of result.files ?? []) out.set(f.path, f.content);
  for (const c of result.copies ?? []) out.set(c.path, readFileSync(join(artifactsDir, c.from), 'utf8'));
  return out;
}

/** A fixture's compile options beyond the spec: `options.json` beside it, e.g. {"ansible": true}
 * (compiled as with `compile --ansible`). */
export function fixtureOptions(dir: string): { ansible?: boolean } {
  const file = join(dir, 'options.json');
  if (!existsSync(file)) return {};
  const o = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const unknown = Object.keys(o).filter((k) => k !== 'ansible');
  if (unknown.length) throw new Error(`${file}: unknown option ${unknown.join(', ')}`);
  return o['ansible'] === true ? { ansible: true } : {};
}

export function readTree(dir: string): Map<string, string> {
  return new Map(listFiles(dir).map((f) => [relative(dir, f).split('\\').join('/'), readFileSync(f, 'utf8')]));
}

export function writeTree(dir: string, files: Map<string, string>): void {
  rmSync(dir, { recursive: true, force: true });
  for (const [path, content] of files) {
    const p = join(dir, path);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, content);
  }
}
