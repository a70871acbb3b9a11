// pbxplan plan: what it does when run (its table entry, help and options are in plan.ts, loaded
// for every command line; this module only when the command runs).
import { compileSpec, openSpec, printDiagnostics } from './spec.js';
import type { CommandContext } from '../command.js';

export async function run(ctx: CommandContext): Promise<number> {
  const run = await openSpec(ctx);
  const result = compileSpec(run);
  printDiagnostics(run, result, ctx.io, { jsonOnStdout: false });
  if (!result.ok) return 1;
  ctx.io.out(JSON.stringify(result.plan, null, 2) + '\n');
  return 0;
}
