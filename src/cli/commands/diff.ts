// pbxplan diff OLD NEW: what changing a running cluster from OLD to NEW does, offline.
import { createToolchain, diff as diffSides, diffExitCode, formatDiagnostics, formatDiffJson, formatDiffText, loadSide, packageVersion, type Action, type SideInput } from '../../index.js';
import type { CommandContext, CommandDef } from '../command.js';
import { CliError, UsageError } from '../errors.js';
import { readSide } from '../io/diff-side.js';
import { isCalendarDate } from './spec.js';
import { TODAY } from './options.js';

const DENY_LEVELS = ['remove', 'recreate', 'restart'] as const;

/** Both sides, compiled or read; a spec with errors prints its diagnostics and ends the command (exit 1). */
export async function openSides(ctx: CommandContext, paths: [string, string]) {
  const day = (ctx.values['today'] as string | undefined) ?? new Date().toISOString().slice(0, 10);
  if (!isCalendarDate(day)) throw new UsageError(`--today takes a real calendar date as YYYY-MM-DD, not "${day}"`, ctx.command);
  const options = { today: day, generatedBy: ctx.io.env['PBXPLAN_GENERATED_BY'] || `pbxplan ${packageVersion()}`, toolchain: createToolchain() };
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

export const diff: CommandDef = {
  name: 'diff',
  summary: 'what changing a running cluster from OLD to NEW does (offline)',
  usage: 'diff OLD NEW [--format text|json] [--deny remove|recreate|restart] [--allow-destroy] [--today YYYY-MM-DD]',
  description: `Compares two states of a cluster, each a spec, a bundle directory (its plan.json) or a
plan.json, and lists every change: add, update (in place or in the portal only), restart,
recreate (rm + run: an interruption, data kept), remove, upgrade. Each change names its hosts, a
reason code ('pbxplan explain CODE'), the old and new spec lines, and the restarts or
recreations it forces on other hosts. Secrets appear only as references.
Exit codes: 0 no changes · 3 changes · 5 a change at or above --deny · 1 a spec has errors or a
change is refused (a downgrade, a jump across majors, a protected host destroyed) · 2 usage or I/O.`,
  options: [
    { long: 'format', value: 'FORMAT', choices: ['text', 'json'], summary: 'text (default), or json (formatVersion, summary and changes)' },
    { long: 'deny', value: 'LEVEL', choices: DENY_LEVELS, summary: 'exit 5 when a change is at or above LEVEL (for CI gates)' },
    { long: 'allow-destroy', summary: 'allow recreating or removing hosts the spec protects (its protect list)' },
    TODAY,
  ],
  positionals: { min: 2, max: 2, what: 'OLD and NEW (spec, bundle directory or plan.json)', completes: { kind: 'file' } },
  async run(ctx) {
    const sides = await openSides(ctx, [ctx.positionals[0]!, ctx.positionals[1]!]);
    if (!sides) return 1;
    const result = diffSides(sides.old, sides.new, { allowDestroy: ctx.values['allow-destroy'] === true });
    ctx.io.out(ctx.values['format'] === 'json' ? formatDiffJson(result) : formatDiffText(result));
    return diffExitCode(result, (ctx.values['deny'] as Action | undefined) ?? null);
  },
};
