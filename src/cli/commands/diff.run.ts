// pbxplan diff: what it does when run (its table entry, help and options are in diff.ts, loaded
// for every command line; this module only when the command runs).
import { loadToolchain, diff as diffSides, diffExitCode, formatDiagnostics, formatDiffJson, formatDiffText, loadSide, packageVersion, type Action, type SideInput } from '../../compiler.js';
import type { CommandContext } from '../command.js';
import { CliError, UsageError } from '../errors.js';
import { readSide } from '../io/diff-side.js';
import { isCalendarDate } from './spec.js';

/** Both sides, compiled or read; a spec with errors prints its diagnostics and ends the command (exit 1). */
export async function openSides(ctx: CommandContext, paths: [string, string]) {
  const day = (ctx.values['today'] as string | undefined) ?? new Date().toISOString().slice(0, 10);
  if (!isCalendarDate(day)) throw new UsageError(`--today takes a real calendar date as YYYY-MM-DD, not "${day}"`, ctx.command);
  const options = { today: day, generatedBy: ctx.io.env['PBXPLAN_GENERATED_BY'] || `pbxplan ${packageVersion()}`, toolchain: await loadToolchain() };
  const sides = [];
  let bad = false;
  for (const path of paths) {
    const input: SideInput = await readSide(path);
    const loaded = loadSide(input, options);
    if (!loaded.ok) {
      if (loaded.problem) throw new CliError(loaded.problem);
      ctx.io.err(formatDiagnostics(loaded.diagnostics, 'pretty', { file: input.label, source: input.text, color: false, toolVersion: packageVersion() }));
      bad = true;
      continue;
    }
    sides.push(loaded.side);
  }
  return bad ? null : { old: sides[0]!, new: sides[1]! };
}

export async function run(ctx: CommandContext): Promise<number> {
  const sides = await openSides(ctx, [ctx.positionals[0]!, ctx.positionals[1]!]);
  if (!sides) return 1;
  const result = diffSides(sides.old, sides.new, { allowDestroy: ctx.values['allow-destroy'] === true });
  ctx.io.out(ctx.values['format'] === 'json' ? formatDiffJson(result) : formatDiffText(result));
  return diffExitCode(result, (ctx.values['deny'] as Action | undefined) ?? null);
}
