// The shape of a command in the one command table (table.ts): everything help text, argument
// parsing and shell completion are derived from. An entry is metadata only; what the command
// does is in its own module (commands/<name>.run.ts), loaded when it runs, so that start-up
// (--help, a usage error, validate) never loads the code of the other commands.
import type { Completes } from '../startup.js';
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
  /** How many positional arguments it takes, and what they complete to (a function when the
   * values come from a catalog that only the completion command needs to load). */
  positionals: { min: number; max: number; what: string; completes: Completes | (() => Promise<Completes>) };
  /** The command's code, loaded when it runs. */
  load(): Promise<CommandRun>;
}

/** What a command's run module (commands/<name>.run.ts) exports. */
export interface CommandRun {
  run(ctx: CommandContext): number | Promise<number>;
}
