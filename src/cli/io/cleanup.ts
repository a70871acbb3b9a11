// What a run must undo if it is interrupted: temporary directories and archives, the output lock,
// parent folders it created. SIGINT and SIGTERM (and SIGHUP) run every registered undo, then exit
// 128 + the signal number (130, 143, 129). A run killed with SIGKILL cannot undo anything; its
// temporary names carry its pid, so the next run recognises them (see output.ts).
import { rmSync } from 'node:fs';

const undos = new Map<number, () => void>();
let nextId = 0;

/** Registers an undo; the returned function unregisters it (the work was committed). */
export function onInterrupt(undo: () => void): () => void {
  const id = nextId++;
  undos.set(id, undo);
  return () => undos.delete(id);
}

/** Runs every registered undo, newest first, each at most once; never throws. */
export function undoAll(): number {
  const list = [...undos.entries()].reverse();
  undos.clear();
  for (const [, undo] of list) {
    try {
      undo();
    } catch {
      // best effort: the next run recognises what is left by its pid
    }
  }
  return list.length;
}

/** Removes a path if it is there, whatever it is (a file, or a directory and all inside). */
export function removePath(path: string): void {
  rmSync(path, { recursive: true, force: true, maxRetries: 3 });
}

const SIGNALS = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as const;

/** Installs the signal handlers once, for the real process. */
export function handleSignals(err: (s: string) => void): void {
  for (const [name, num] of Object.entries(SIGNALS)) {
    process.on(name as NodeJS.Signals, () => {
      const undone = undoAll();
      err(`pbxplan: interrupted (${name})${undone ? '; removed what this run had written' : ''}\n`);
      process.exit(128 + num);
    });
  }
}
