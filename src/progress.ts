// Progress of long work (hashing and packing images, verifying a large archive, a fake host run
// over many hosts) as one line on a terminal, rewritten in place. Only on a terminal: on a pipe,
// in CI logs or with machine output (--format json) it prints nothing, unless PBXPLAN_PROGRESS=1
// forces it (the tests do). No I/O of its own: it writes to the stream it is given.

/** Where the line goes: process.stderr, or a test's collector. */
export interface ProgressStream {
  write(s: string): unknown;
  isTTY?: boolean;
}

export interface Progress {
  /** `done` of `total` bytes of `what` (e.g. "hashing images/pbx.tar"). */
  bytes(done: number, total: number, what: string): void;
  /** The n-th of `total` items (e.g. "host 12 of 1003: media-11"). */
  items(n: number, total: number, what: string): void;
  /** Clears the line (when one was printed); call when the work ends, failed or not. */
  done(): void;
}

export const silentProgress: Progress = { bytes() {}, items() {}, done() {} };

export interface ProgressOptions {
  /** false: never print (--format json, sarif). */
  enabled?: boolean;
  /** The environment (PBXPLAN_PROGRESS=1 prints even when the stream is no terminal; 0 never). */
  env?: Record<string, string | undefined>;
  /** Milliseconds between two lines (default 100): a terminal is not written faster than read. */
  intervalMs?: number;
  now?: () => number;
}

/** Whether progress goes to `stream`. */
export function showsProgress(stream: ProgressStream, o: ProgressOptions = {}): boolean {
  if (o.enabled === false) return false;
  const forced = o.env?.['PBXPLAN_PROGRESS'];
  if (forced === '1') return true;
  if (forced === '0') return false;
  return stream.isTTY === true;
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

export function formatBytes(n: number): string {
  let i = 0;
  let v = n;
  while (v >= 1024 && i < UNITS.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${v} B` : `${v.toFixed(1)} ${UNITS[i]}`;
}

const percent = (done: number, total: number) => (total > 0 ? Math.min(100, Math.floor((done / total) * 100)) : 100);

/** A progress line on `stream`, or silence (see showsProgress). */
export function progressLine(stream: ProgressStream, o: ProgressOptions = {}): Progress {
  if (!showsProgress(stream, o)) return silentProgress;
  const interval = o.intervalMs ?? 100;
  const now = o.now ?? (() => Date.now());
  let last = -Infinity;
  let shown = false;
  const show = (text: string, final: boolean) => {
    const t = now();
    if (!final && t - last < interval) return;
    last = t;
    shown = true;
    // \r and "erase to end of line": the line is rewritten in place, never scrolls.
    stream.write(`\r\u001b[K${text}`);
  };
  return {
    bytes(done, total, what) {
      show(`${what}: ${percent(done, total)}% (${formatBytes(done)} of ${formatBytes(total)})`, done >= total);
    },
    items(n, total, what) {
      show(`${what} (${percent(n, total)}%)`, n >= total);
    },
    done() {
      if (shown) stream.write('\r\u001b[K');
      shown = false;
      last = -Infinity;
    },
  };
}
