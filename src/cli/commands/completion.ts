import { COMPLETION_SHELLS } from '../../startup.js';
import type { CommandDef } from '../command.js';

export const completion: CommandDef = {
  name: 'completion',
  summary: 'print a shell completion script (bash or zsh)',
  usage: 'completion bash|zsh',
  description: `Prints a completion script for bash or zsh, made from the same command table as this help.
  bash:  source <(pbxplan completion bash)     (or save it in /etc/bash_completion.d/pbxplan)
  zsh:   source <(pbxplan completion zsh)      (or save it as _pbxplan in a folder of $fpath)`,
  options: [],
  positionals: { min: 1, max: 1, what: 'the shell: bash or zsh', completes: { kind: 'values', values: [...COMPLETION_SHELLS] } },
  load: () => import('./completion.run.js'),
};

