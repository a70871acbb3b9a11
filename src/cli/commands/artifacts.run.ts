// pbxplan artifacts: what it does when run (its table entry, help and options are in artifacts.ts, loaded
// for every command line; this module only when the command runs).
import { artifactSummary, missingArtifactCount, renderArtifactList } from '../../compiler.js';
import { UsageError } from '../errors.js';
import { artifactsDir } from '../io/artifacts-dir.js';
import { compileSpec, openSpec, printDiagnostics } from './spec.js';
import { compileUpgradeFrom } from './upgrade-from.js';
import { printable } from '../io/terminal.js';
import type { CommandContext } from '../command.js';

export async function run(ctx: CommandContext): Promise<number> {
  const dir = (ctx.values['artifacts'] as string | undefined) ?? null;
  const allowMissing = ctx.values['allow-missing'] === true;
  if (allowMissing && dir === null) throw new UsageError('--allow-missing needs --artifacts ADIR', ctx.command);
  const run = await openSpec(ctx);
  // Missing files are what this command reports, so the plan is made as with --allow-missing.
  const host = dir === null ? {} : { artifacts: artifactsDir(dir, dir, true) };
  const oldPath = (ctx.values['from'] as string | undefined) ?? null;
  let result = oldPath === null ? compileSpec(run, host) : null;
  if (result === null) {
    const up = await compileUpgradeFrom(run, oldPath!, host);
    if (up.result.refusal !== undefined) {
      ctx.io.err(printable(`pbxplan artifacts: not an upgrade from ${up.old.file}: ${up.result.refusal}\n`));
      return 1;
    }
    result = up.result;
  }
  printDiagnostics(run, result, ctx.io, { jsonOnStdout: false });
  if (!result.ok) return 1;
  ctx.io.out(renderArtifactList(result.plan!, { dir, format: run.format === 'json' ? 'json' : 'text' }));
  if (dir !== null) ctx.io.err(artifactSummary(result.plan!, dir));
  return dir !== null && missingArtifactCount(result.plan!) > 0 && !allowMissing ? 1 : 0;
}
