// Shell completion scripts (`pbxplan completion bash|zsh`), rendered from the CLI's command table
// by templates/completion/<shell>.hbs: the table is data, the templates hold all shell text.
import type { Toolchain } from './assets.js';
import type { CompletionShell, Completes } from './completion-shells.js';
import { template } from './phases/5-emit/common/templates.js';

export { COMPLETION_SHELLS, type CompletionShell, type Completes } from './completion-shells.js';

export interface CompletionOption {
  long: string; // without dashes
  short: string | null; // one letter, without the dash
  summary: string;
  /** What its value completes to; null for a flag. */
  value: Completes | null;
}

export interface CompletionCommand {
  name: string;
  summary: string;
  options: CompletionOption[];
  /** What its positional arguments complete to. */
  positional: Completes;
}

export interface CompletionTable {
  program: string;
  version: string;
  commands: CompletionCommand[];
  /** Options taken before any command (--help, --version). */
  global: CompletionOption[];
}

/** Words and summaries go into the scripts inside quotes of their own syntax; only plain text
 * is accepted, so that the table can never break out of them. */
const PLAIN = /^[A-Za-z0-9 ,.;/+_=()|-]*$/;

function checkPlain(s: string, what: string): void {
  if (!PLAIN.test(s)) throw new Error(`completion: ${what} "${s}" holds a character the completion scripts cannot carry`);
}

export function renderCompletion(toolchain: Pick<Toolchain, 'templates'>, shell: CompletionShell, table: CompletionTable): string {
  for (const c of table.commands) {
    checkPlain(c.name, 'command');
    checkPlain(c.summary, 'summary');
    for (const o of [...c.options]) {
      checkPlain(o.long, 'option');
      checkPlain(o.summary, 'summary');
      if (o.value?.kind === 'values') o.value.values.forEach((v) => checkPlain(v, 'value'));
    }
    if (c.positional.kind === 'values') c.positional.values.forEach((v) => checkPlain(v, 'value'));
  }
  const view = (o: CompletionOption) => ({
    ...o,
    words: [`--${o.long}`, ...(o.short ? [`-${o.short}`] : [])],
    exclusion: [`--${o.long}`, ...(o.short ? [`-${o.short}`] : [])].join(' '),
    takesValue: o.value !== null,
    file: o.value?.kind === 'file',
    dir: o.value?.kind === 'dir',
    values: o.value?.kind === 'values' ? o.value.values.join(' ') : '',
  });
  const commands = table.commands.map((c) => ({
    ...c,
    options: c.options.map(view),
    optionWords: c.options.flatMap((o) => [`--${o.long}`, ...(o.short ? [`-${o.short}`] : [])]).join(' '),
    file: c.positional.kind === 'file',
    dir: c.positional.kind === 'dir',
    values: c.positional.kind === 'values' ? c.positional.values.join(' ') : '',
    none: c.positional.kind === 'none',
    valueOptions: c.options.filter((o) => o.value !== null).map(view),
  }));
  return template(toolchain.templates, `completion/${shell}`)({
    program: table.program,
    version: table.version,
    commandWords: table.commands.map((c) => c.name).join(' '),
    globalWords: table.global.flatMap((o) => [`--${o.long}`, ...(o.short ? [`-${o.short}`] : [])]).join(' '),
    commands,
  });
}
