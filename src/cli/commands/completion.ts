import { COMPLETION_SHELLS, createToolchain, packageVersion, renderCompletion, type CompletionOption, type CompletionShell } from '../../index.js';
import { HELP_OPTION } from '../args.js';
import type { CommandDef, OptionDef } from '../command.js';
import { UsageError } from '../errors.js';

const VERSION_OPTION: OptionDef = { long: 'version', short: 'V', summary: 'print the version' };

function completionOption(o: OptionDef): CompletionOption {
  return {
    long: o.long,
    short: o.short ?? null,
    summary: o.summary,
    value: !o.value ? null : o.choices ? { kind: 'values', values: [...o.choices] } : o.completes ? { kind: o.completes } : { kind: 'none' },
  };
}

export const completion: CommandDef = {
  name: 'completion',
  summary: 'print a shell completion script (bash or zsh)',
  usage: 'completion bash|zsh',
  description: `Prints a completion script for bash or zsh, made from the same command table as this help.
  bash:  source <(pbxplan completion bash)     (or save it in /etc/bash_completion.d/pbxplan)
  zsh:   source <(pbxplan completion zsh)      (or save it as _pbxplan in a folder of $fpath)`,
  options: [],
  positionals: { min: 1, max: 1, what: 'the shell: bash or zsh', completes: { kind: 'values', values: [...COMPLETION_SHELLS] } },
  run(ctx) {
    const shell = ctx.positionals[0]!;
    if (!(COMPLETION_SHELLS as readonly string[]).includes(shell)) {
      throw new UsageError(`completion takes bash or zsh, not "${shell}"`, ctx.command);
    }
    const table = {
      program: 'pbxplan',
      version: packageVersion(),
      global: [HELP_OPTION, VERSION_OPTION].map(completionOption),
      commands: ctx.commands.map((c) => ({ name: c.name, summary: c.summary, options: c.options.map(completionOption), positional: c.positionals.completes })),
    };
    ctx.io.out(renderCompletion(createToolchain(), shell as CompletionShell, table));
    return 0;
  },
};

export { VERSION_OPTION };
