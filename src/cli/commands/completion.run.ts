// pbxplan completion: what it does when run (its table entry, help and options are in completion.ts, loaded
// for every command line; this module only when the command runs).
import { COMPLETION_SHELLS, loadToolchain, packageVersion, renderCompletion, type CompletionOption, type CompletionShell } from '../../compiler.js';
import { HELP_OPTION, VERSION_OPTION } from '../args.js';
import type { OptionDef } from '../command.js';
import { UsageError } from '../errors.js';
import type { CommandContext } from '../command.js';

function completionOption(o: OptionDef): CompletionOption {
  return {
    long: o.long,
    short: o.short ?? null,
    summary: o.summary,
    value: !o.value ? null : o.choices ? { kind: 'values', values: [...o.choices] } : o.completes ? { kind: o.completes } : { kind: 'none' },
  };
}

export async function run(ctx: CommandContext): Promise<number> {
  const shell = ctx.positionals[0]!;
  if (!(COMPLETION_SHELLS as readonly string[]).includes(shell)) {
    throw new UsageError(`completion takes bash or zsh, not "${shell}"`, ctx.command);
  }
  const table = {
    program: 'pbxplan',
    version: packageVersion(),
    global: [HELP_OPTION, VERSION_OPTION].map(completionOption),
    commands: await Promise.all(ctx.commands.map(async (c) => ({ name: c.name, summary: c.summary, options: c.options.map(completionOption), positional: typeof c.positionals.completes === 'function' ? await c.positionals.completes() : c.positionals.completes }))),
  };
  ctx.io.out(renderCompletion(await loadToolchain(), shell as CompletionShell, table));
  return 0;
}
