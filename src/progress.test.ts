// The progress line: silent unless the stream is a terminal (or PBXPLAN_PROGRESS=1 forces it),
// silent with machine output, rewritten in place, throttled, cleared at the end.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatBytes, progressLine, showsProgress } from './progress.js';

function collector(isTTY: boolean) {
  const out: string[] = [];
  return { out, stream: { isTTY, write: (s: string) => void out.push(s) } };
}

test('silent when the stream is no terminal, and when machine output asks for silence', () => {
  const pipe = collector(false);
  const p = progressLine(pipe.stream, { env: {} });
  p.bytes(5, 10, 'hashing images/pbx.tar');
  p.items(3, 3, 'host 3 of 3');
  p.done();
  assert.deepEqual(pipe.out, []);
  const tty = collector(true);
  const quiet = progressLine(tty.stream, { env: {}, enabled: false });
  quiet.bytes(10, 10, 'x');
  assert.deepEqual(tty.out, []);
  assert.equal(showsProgress(tty.stream, { env: { PBXPLAN_PROGRESS: '0' } }), false);
});

test('a terminal gets one line rewritten in place, then cleared; PBXPLAN_PROGRESS=1 forces it', () => {
  for (const [isTTY, env] of [[true, {}], [false, { PBXPLAN_PROGRESS: '1' }]] as const) {
    const c = collector(isTTY);
    let t = 0;
    const p = progressLine(c.stream, { env, now: () => t });
    p.bytes(0, 3 * 2 ** 30, 'hashing images/pbx.tar');
    t += 10;
    p.bytes(2 ** 30, 3 * 2 ** 30, 'hashing images/pbx.tar'); // within the interval: skipped
    t += 200;
    p.bytes(2 ** 30, 3 * 2 ** 30, 'hashing images/pbx.tar');
    p.bytes(3 * 2 ** 30, 3 * 2 ** 30, 'hashing images/pbx.tar'); // the last always shows
    p.done();
    assert.deepEqual(c.out, [
      '\r\u001b[Khashing images/pbx.tar: 0% (0 B of 3.0 GiB)',
      '\r\u001b[Khashing images/pbx.tar: 33% (1.0 GiB of 3.0 GiB)',
      '\r\u001b[Khashing images/pbx.tar: 100% (3.0 GiB of 3.0 GiB)',
      '\r\u001b[K',
    ]);
  }
});

test('items count, and done clears only what was printed', () => {
  const c = collector(true);
  const p = progressLine(c.stream, { env: {}, intervalMs: 0 });
  p.done();
  assert.deepEqual(c.out, []);
  p.items(12, 1003, 'host 12 of 1003: media-11');
  p.done();
  assert.deepEqual(c.out, ['\r\u001b[Khost 12 of 1003: media-11 (1%)', '\r\u001b[K']);
  assert.equal(formatBytes(1536), '1.5 KiB');
});
