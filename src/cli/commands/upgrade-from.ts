// compile NEW --from OLD when only the release changed: an upgrade bundle. OLD is a spec, a
// bundle's plan.json, or a bundle directory (its plan.json). Kept in one function so that the
// change-bundle path of --from can dispatch around it.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { compileUpgrade, type Plan, type UpgradeFrom, type UpgradeResult } from '../../compiler.js';
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

/** The upgrade bundle of NEW (run) from OLD, or a refusal saying why this is not one. */
export async function compileUpgradeFrom(run: SpecRun, oldPath: string, host: CompilerHost): Promise<{ old: { file: string; text: string }; result: UpgradeResult }> {
  const old = await readOld(oldPath);
  const result = compileUpgrade(run.text, old.from, { ...run.options, host });
  return { old: { file: old.file, text: old.text }, result };
}
