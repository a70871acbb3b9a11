// pbxplan explain: what it does when run (its table entry, help and options are in explain.ts, loaded
// for every command line; this module only when the command runs).
import { closest, CODES, isCode, isReason, REASONS, type Completes } from '../../compiler.js';
import { UsageError } from '../errors.js';
import type { CommandContext } from '../command.js';

/** Every code explain knows: what its argument completes to. */
export function completes(): Completes {
  return { kind: 'values', values: [...Object.keys(CODES), ...Object.keys(REASONS)] };
}

export async function run(ctx: CommandContext): Promise<number> {
  if (ctx.values['list']) {
    if (ctx.positionals.length) throw new UsageError('explain --list takes no CODE', ctx.command);
    ctx.io.out(Object.entries(CODES).map(([code, e]) => `${code.padEnd(32)} ${e.severity}\n`).join('') + Object.entries(REASONS).map(([code, e]) => `${code.padEnd(32)} diff: ${e.action}\n`).join(''));
    return 0;
  }
  if (ctx.positionals.length !== 1) throw new UsageError('explain needs one CODE (or --list)', ctx.command);
  const code = ctx.positionals[0]!;
  if (isReason(code)) {
    const r = REASONS[code];
    ctx.io.out(`${code} (pbxplan diff: ${r.action})\n\n${r.doc}\n\nChange: ${r.title}\n`);
    return 0;
  }
  if (!isCode(code)) {
    const near = closest(code, [...Object.keys(CODES), ...Object.keys(REASONS)]);
    throw new UsageError(`unknown code "${code}"${near ? `; did you mean "${near}"?` : ''} ('pbxplan explain --list' lists them)`, ctx.command);
  }
  const e = CODES[code];
  ctx.io.out(`${code} (${e.severity})\n\n${e.doc}\n\nMessage: ${e.message}\nHint:    ${e.hint}\n`);
  return 0;
}
