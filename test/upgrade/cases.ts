// The upgrade fixtures (fixtures/upgrades/<case>/{old.yaml,new.yaml,expected/}) compiled the way
// `pbxplan compile new.yaml --from old.yaml` does, with the golden runner's fixed inputs; a case
// with an artifacts/ folder (stand-in files) compiles both sides with `--artifacts artifacts`.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { artifactsDir as artifactsSource } from '../../src/cli/io/artifacts-dir.js';
import { compile, compileUpgrade, createToolchain, type Plan, type Toolchain, type UpgradeResult } from '../../src/index.js';
import { FIXTURES, GOLDEN_GENERATED_BY, GOLDEN_TODAY } from '../golden.js';

export const UPGRADES = join(FIXTURES, 'upgrades');

let toolchain: Toolchain | null = null;
export const tc = () => (toolchain ??= createToolchain());

export function upgradeCases(): { name: string; dir: string }[] {
  return readdirSync(UPGRADES, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => ({ name: e.name, dir: join(UPGRADES, e.name) }))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** The case's artifacts folder, if it has one. */
const artifactsOf = (dir: string) => (existsSync(join(dir, 'artifacts')) ? join(dir, 'artifacts') : null);

const opts = (dir: string) => {
  const a = artifactsOf(dir);
  return { today: GOLDEN_TODAY, generatedBy: GOLDEN_GENERATED_BY, toolchain: tc(), host: a ? { artifacts: artifactsSource(a, 'artifacts', false) } : {} };
};

export function compileCase(dir: string): UpgradeResult {
  const r = compileUpgrade(readFileSync(join(dir, 'new.yaml')), { spec: readFileSync(join(dir, 'old.yaml')) }, opts(dir));
  return { ...r, caseDir: dir } as UpgradeResult;
}

/** The bundle of one side of a case, as a fresh install (`old` or `new`). */
export function compileSide(dir: string, side: 'old' | 'new'): { plan: Plan; files: Map<string, string> } {
  const r = compile(readFileSync(join(dir, `${side}.yaml`)), opts(dir));
  if (!r.ok) throw new Error(`${dir}/${side}.yaml does not compile: ${r.diagnostics.map((d) => d.code).join(', ')}`);
  return { plan: r.plan!, files: withCopies(new Map(r.files!.map((f) => [f.path, f.content])), r.copies, dir) };
}

/** The bundle's files and the artifacts the CLI would copy into it (stand-ins: text). */
function withCopies(files: Map<string, string>, copies: readonly { path: string; from: string }[] | undefined, dir: string): Map<string, string> {
  const a = artifactsOf(dir);
  for (const c of copies ?? []) files.set(c.path, readFileSync(join(a!, c.from), 'utf8'));
  return files;
}

export function bundleFiles(r: UpgradeResult): Map<string, string> {
  const files = new Map((r.files ?? []).map((f) => [f.path, f.content]));
  const dir = (r as { caseDir?: string }).caseDir;
  return dir ? withCopies(files, r.copies, dir) : files;
}
