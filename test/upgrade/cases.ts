// The upgrade fixtures (fixtures/upgrades/<case>/{old.yaml,new.yaml,expected/}) compiled the way
// `pbxplan compile new.yaml --from old.yaml` does, with the golden runner's fixed inputs.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
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

const opts = () => ({ today: GOLDEN_TODAY, generatedBy: GOLDEN_GENERATED_BY, toolchain: tc() });

export function compileCase(dir: string): UpgradeResult {
  return compileUpgrade(readFileSync(join(dir, 'new.yaml')), { spec: readFileSync(join(dir, 'old.yaml')) }, opts());
}

/** The bundle of one side of a case, as a fresh install (`old` or `new`). */
export function compileSide(dir: string, side: 'old' | 'new'): { plan: Plan; files: Map<string, string> } {
  const r = compile(readFileSync(join(dir, `${side}.yaml`)), opts());
  if (!r.ok) throw new Error(`${dir}/${side}.yaml does not compile: ${r.diagnostics.map((d) => d.code).join(', ')}`);
  return { plan: r.plan!, files: new Map(r.files!.map((f) => [f.path, f.content])) };
}

export function bundleFiles(r: UpgradeResult): Map<string, string> {
  return new Map((r.files ?? []).map((f) => [f.path, f.content]));
}
