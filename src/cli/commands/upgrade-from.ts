// compile NEW --from OLD: an upgrade bundle when only the release changed, a change bundle
// otherwise (the library dispatches). OLD is a spec, a bundle's plan.json, or a bundle directory
// (its plan.json).
import { existsSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { compileChange, compileUpgrade, type ChangeResult, type Plan, type UpgradeFrom, type UpgradeResult } from '../../compiler.js';
import { CliError } from '../errors.js';
import { decodeSpec, readSpec } from '../io/spec-file.js';
import type { SpecRun } from './spec.js';
import type { CompilerHost } from '../../compiler.js';

/** OLD as given: a directory means the bundle's plan.json; JSON text with formatVersion is a Plan. */
export async function readOld(path: string): Promise<{ file: string; text: string; from: UpgradeFrom }> {
  const named = existsSync(path) && statSync(path).isDirectory() ? join(path, 'plan.json') : path;
  if (named !== path && !existsSync(named)) throw new CliError(`--from ${path}: a directory must be a pbxplan bundle holding plan.json`);
  const input = await readSpec(named);
  const text = decodeSpec(input);
  if (/^\s*\{/.test(text)) {
    let plan: Plan;
    try {
      plan = JSON.parse(text) as Plan;
    } catch {
      throw new CliError(`--from ${input.file}: not valid JSON; name the old spec (YAML) or the old bundle's plan.json`);
    }
    if (typeof plan !== 'object' || plan === null || typeof plan.formatVersion !== 'number' || !Array.isArray(plan.hosts)) throw new CliError(`--from ${input.file}: not a pbxplan plan.json (no formatVersion and hosts)`);
    return { file: input.file, text, from: { plan } };
  }
  return { file: input.file, text, from: { spec: text } };
}

/** The bundle of NEW (run) from OLD: an upgrade bundle (only the release changed), a change
 * bundle (anything else), or a refusal saying why neither and what to do instead. */
export async function compileFrom(run: SpecRun, oldPath: string, host: CompilerHost, change: { purge: boolean; allowDestroy: boolean }): Promise<{ old: { file: string; text: string }; result: ChangeResult }> {
  const old = await readOld(oldPath);
  const from = 'plan' in old.from ? old.from : { spec: old.from.spec, specName: basename(old.file) };
  const result = compileChange(run.text, from, { ...run.options, host, ...change });
  return { old: { file: old.file, text: old.text }, result };
}

/** The upgrade bundle of NEW (run) from OLD, or a refusal saying why this is not one (artifacts --from). */
export async function compileUpgradeFrom(run: SpecRun, oldPath: string, host: CompilerHost): Promise<{ old: { file: string; text: string }; result: UpgradeResult }> {
  const old = await readOld(oldPath);
  const result = compileUpgrade(run.text, old.from, { ...run.options, host });
  return { old: { file: old.file, text: old.text }, result };
}
