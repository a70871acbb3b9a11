// Arguments of one command, parsed against its entry in the command table. Node's parseArgs
// does the tokenising; every message is pbxplan's own (its texts never reach the user).
import { parseArgs } from 'node:util';
import { closest } from '../startup.js';
import type { CommandDef, OptionDef } from './command.js';
import { optionLabel } from './commands/options.js';
import { UsageError } from './errors.js';

export const HELP_OPTION: OptionDef = { long: 'help', short: 'h', summary: 'show this help' };
export const VERSION_OPTION: OptionDef = { long: 'version', short: 'V', summary: 'print the version' };

export interface ParsedArgs {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/** "; did you mean …?" for an unknown option: a near long option, or a value of one
 * (`init --ha` → `--topology ha-onprem`). */
function suggestion(all: OptionDef[], raw: string): string {
  if (!raw.startsWith('--')) return '';
  const word = raw.slice(2);
  const values = all.flatMap((o) => (o.choices ?? []).filter((v) => v === word || v.startsWith(`${word}-`)).map((v) => `--${o.long} ${v}`));
  if (values.length) return `; did you mean ${values.join(' or ')}?`;
  const near = closest(raw, all.map((o) => `--${o.long}`));
  return near ? `; did you mean ${near}?` : '';
}

export function parseCommandArgs(def: CommandDef, argv: string[]): ParsedArgs {
  const all = [...def.options, HELP_OPTION];
  const config = Object.fromEntries(all.map((o) => [o.long, { type: o.value ? ('string' as const) : ('boolean' as const), ...(o.short ? { short: o.short } : {}) }]));
  const { tokens } = parseArgs({ args: argv, options: config, strict: false, allowPositionals: true, tokens: true });
  const values: ParsedArgs['values'] = {};
  const positionals: string[] = [];
  const fail = (message: string): never => {
    throw new UsageError(message, def.name);
  };
  for (const t of tokens) {
    if (t.kind === 'positional') {
      positionals.push(t.value);
      continue;
    }
    if (t.kind !== 'option') continue;
    const o = all.find((x) => x.long === t.name);
    if (!o) {
      fail(`unknown option ${t.rawName} for ${def.name}${suggestion(all, t.rawName)}`);
      continue;
    }
    if (!o.value) {
      if (t.inlineValue) fail(`${t.rawName} takes no value`);
      values[o.long] = true;
      continue;
    }
    // parseArgs in non-strict mode takes the next word as the value even when it is an option.
    if (t.value === undefined || (!t.inlineValue && t.value.startsWith('-') && t.value !== '-')) {
      fail(`${t.rawName} needs a value: ${optionLabel(o)}${o.choices ? ` (${o.choices.join(', ')})` : ''}`);
    }
    const v = t.value!;
    if (o.choices && !o.choices.includes(v)) fail(`${t.rawName} takes ${o.choices.join(', ')}; not "${v}"`);
    if (v === '') fail(`${t.rawName} needs a non-empty value`);
    values[o.long] = v;
  }
  if (values['help']) return { values, positionals };
  const { min, max, what } = def.positionals;
  if (positionals.length < min) fail(min === 1 && max === 1 ? `${def.name} needs ${what}` : `${def.name} needs ${what}`);
  if (positionals.length > max) {
    fail(max === 0 ? `${def.name} takes no arguments (found "${positionals[0]}")` : `${def.name} takes ${what}; unexpected "${positionals[max]}"`);
  }
  return { values, positionals };
}
