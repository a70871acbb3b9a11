// pbxplan init: what it does when run (its table entry, help and options are in init.ts, loaded
// for every command line; this module only when the command runs).
import { starterSpecs } from '../../compiler.js';
import { UsageError } from '../errors.js';
import { writeTextFile } from '../io/text-file.js';
import type { CommandContext } from '../command.js';

export async function run(ctx: CommandContext): Promise<number> {
  const topology = (ctx.values['topology'] as string | undefined) ?? 'cluster';
  const text = starterSpecs()[topology];
  if (text === undefined) throw new UsageError(`no starter spec for --topology ${topology}`, ctx.command);
  const out = ctx.values['out'] as string | undefined;
  if (ctx.values['force'] && out === undefined) throw new UsageError('--force needs -o FILE', ctx.command);
  if (out === undefined) {
    ctx.io.out(text);
    return 0;
  }
  writeTextFile(out, text, ctx.values['force'] === true);
  ctx.io.err(`wrote ${out}; edit it, then run: pbxplan validate ${out}\n`);
  return 0;
}
