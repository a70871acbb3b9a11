// The terminal side: where output goes, colour, and the rules every command follows:
// machine output (--format json, plan.json, the schema, …) on stdout alone; human lines
// (status, diagnostics in pretty/short, errors) on stderr; a closed stdout or stderr (the reader
// of a pipe went away, as in `pbxplan explain --list | head -1`) makes further writes to it
// no-ops, the way Unix tools stop quietly.

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  stderrIsTty: boolean;
  stdinIsTty: boolean;
  env: NodeJS.ProcessEnv;
  /** The working directory, for the rules of --force (null when it no longer exists). */
  cwd: string | null;
}

/** Text we print about user-supplied names: control and invisible characters become escapes,
 * so that a hostile path or value cannot rewrite the terminal or a CI log. Newlines are kept. */
export function printable(s: string): string {
  return s.replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/g, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`);
}

/** Whether pretty diagnostics are coloured: --color, else a terminal on stderr without NO_COLOR. */
export function useColor(flag: string | undefined, io: Io): boolean {
  if (flag === 'always') return true;
  if (flag === 'never') return false;
  return io.stderrIsTty && !io.env['NO_COLOR'];
}

/** A writer for one of the process's streams that stops writing once the stream is closed. The
 * stream is made on the first write: Node builds process.stdout and process.stderr on first use,
 * which costs a command that never prints to one of them (most print to one only). */
function safeWriter(open: () => NodeJS.WriteStream): (s: string) => void {
  let closed = false;
  let stream: NodeJS.WriteStream | null = null;
  return (s) => {
    if (!stream) {
      stream = open();
      // EPIPE above all; any other write error leaves nowhere to report it either.
      stream.on('error', () => {
        closed = true;
      });
    }
    if (closed || stream.destroyed) return;
    try {
      stream.write(s);
    } catch {
      closed = true;
    }
  };
}

/** The real process's terminal. */
export function processIo(): Io {
  return {
    out: safeWriter(() => process.stdout),
    err: safeWriter(() => process.stderr),
    // Asked when a command needs to know (colour, progress, a prompt): building process.stdin
    // or loading node:tty costs every run that never asks.
    get stderrIsTty() {
      return process.stderr.isTTY ?? false;
    },
    get stdinIsTty() {
      return process.stdin.isTTY ?? false;
    },
    env: process.env,
    cwd: currentDirectory(),
  };
}

function currentDirectory(): string | null {
  try {
    return process.cwd();
  } catch {
    return null; // removed while we run: no path can be inside it
  }
}
