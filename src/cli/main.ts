#!/usr/bin/env node
// The pbxplan command: dispatches argv through the command table, turns failures into exit codes
// and one-line messages (never a stack trace for anything the user did), and, when run as the
// program, wires the process: stdout/stderr that may close early, signals that undo a run.
// Exit codes: 0 ok · 1 the spec has errors (or warnings under --strict) · 2 usage or I/O error ·
// 4 (verify) the bundle is not intact · 128+n interrupted by signal n.
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { closest, packageVersion } from '../startup.js';
import { parseCommandArgs } from './args.js';
import { CliError, fromSystemError, UsageError } from './errors.js';
import { commandHelp, mainHelp, usageLine } from './help.js';
import { handleSignals, undoAll } from './io/cleanup.js';
import { printable, processIo, type Io } from './io/terminal.js';
import { COMMANDS } from './table.js';

export type { Io } from './io/terminal.js';

function fail(err: unknown, io: Io): number {
  // A file-system error that no module put into words still gets words (and exit 2).
  const e = err instanceof CliError ? err : fromSystemError(err);
  if (!e) throw err;
  io.err(printable(`pbxplan: ${e.message}\n`));
  if (e instanceof UsageError && e.command !== null) {
    const def = COMMANDS.find((c) => c.name === e.command);
    if (def) io.err(`${usageLine(def)}\nRun 'pbxplan ${def.name} --help' for details.\n`);
  }
  return e.exitCode;
}

async function dispatch(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.err(mainHelp(COMMANDS));
    return 2;
  }
  if (name === '-h' || name === '--help' || name === 'help') {
    io.out(mainHelp(COMMANDS));
    return 0;
  }
  if (name === '-V' || name === '--version') {
    io.out(`pbxplan ${packageVersion()}\n`);
    return 0;
  }
  const def = COMMANDS.find((c) => c.name === name);
  if (!def) {
    const near = closest(name, COMMANDS.map((c) => c.name));
    throw new UsageError(`unknown command "${name}"${near ? `; did you mean "${near}"?` : ''} ('pbxplan --help' lists them)`);
  }
  const { values, positionals } = parseCommandArgs(def, rest);
  if (values['help']) {
    io.out(commandHelp(def));
    return 0;
  }
  const { run } = await def.load();
  return run({ command: def.name, values, positionals, io, commands: COMMANDS });
}

/** Runs one command line. Failures the user caused become a message and exit 2; a bug still throws. */
export async function main(argv: string[], io: Io): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (e) {
    undoAll();
    return fail(e, io);
  }
}

// Run only when executed (the bin link, node dist/cli/main.js, tsx src/cli/main.ts), not when imported.
const isEntry = (() => {
  try {
    return !!process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
})();
if (isEntry) runProcess();

/** Runs the command line of this process and sets its exit code. */
export function runProcess(): void {
  const io = processIo();
  handleSignals(io.err);
  void main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      // A bug: say so in one line, keep the stack for those who ask for it.
      undoAll();
      io.err(`pbxplan: internal error: ${printable(e instanceof Error ? e.message : String(e))}\n${io.env['PBXPLAN_DEBUG'] ? `${(e as Error).stack}\n` : 'Set PBXPLAN_DEBUG=1 to see where; please report it.\n'}`);
      process.exitCode = 70;
    },
  );
}
