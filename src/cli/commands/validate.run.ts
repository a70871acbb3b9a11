// pbxplan validate: what it does when run (its table entry, help and options are in validate.ts, loaded
// for every command line; this module only when the command runs).
import { compileSpec, openSpec, printDiagnostics } from './spec.js';
import type { CommandContext } from '../command.js';

export async function run(ctx: CommandContext): Promise<number> {
  const run = await openSpec(ctx, true);
  const result = compileSpec(run);
  printDiagnostics(run, result, ctx.io, { jsonOnStdout: true, always: true });
  return result.ok ? 0 : 1;
}
