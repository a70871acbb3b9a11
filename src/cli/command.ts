// The shape of a command in the one command table (table.ts): everything help text, argument
// parsing and shell completion are derived from.
import type { Completes } from '../index.js';
import type { Io } from './io/terminal.js';

export interface OptionDef {
  long: string; // without dashes
  short?: string; // one letter
  /** Placeholder of its value ("DIR"); absent for a flag. */
  value?: string;
  /** The values it accepts, when fixed. */
  choices?: readonly string[];
  /** What its value names, for completion. */
  completes?: 'file' | 'dir';
  summary: string;
}

export interface CommandContext {
  /** The command's name, for usage lines. */
  command: string;
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
  io: Io;
  /** The whole table: for help and completion. */
  commands: readonly CommandDef[];
}

export interface CommandDef {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** The usage line after "pbxplan " (e.g. "compile SPEC -o DIR [options]"). */
  usage: string;
  /** Paragraphs for `pbxplan <command> --help`. */
  description: string;
  options: readonly OptionDef[];
  /** How many positional arguments it takes, and what they complete to. */
  positionals: { min: number; max: number; what: string; completes: Completes };
  run(ctx: CommandContext): number | Promise<number>;
}
