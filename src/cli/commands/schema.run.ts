// pbxplan schema: what it does when run (its table entry, help and options are in schema.ts, loaded
// for every command line; this module only when the command runs).
import { readSchema } from '../../compiler.js';
import type { CommandContext } from '../command.js';

export async function run(ctx: CommandContext): Promise<number> {
  ctx.io.out(JSON.stringify(readSchema(), null, 2) + '\n');
  return 0;
}
