import { closest, CODES, isCode, isReason, REASONS } from '../../index.js';
import type { CommandDef } from '../command.js';
import { UsageError } from '../errors.js';

export const explain: CommandDef = {
  name: 'explain',
  summary: 'explain a diagnostic code or a diff reason code (--list lists them)',
  usage: 'explain CODE | explain --list',
  description: "Prints what a diagnostic code means and how to fix it, or what a reason code of 'pbxplan diff' means for the hosts. 'pbxplan explain --list' lists every code.",
  options: [{ long: 'list', summary: 'list every code with its severity' }],
  positionals: { min: 0, max: 1, what: 'one CODE', completes: { kind: 'values', values: [...Object.keys(CODES), ...Object.keys(REASONS)] } },
  run(ctx) {
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
  },
};
