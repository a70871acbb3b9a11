// `npm run fakehost`, the command a developer runs by hand: what it prints of a host (--verbose:
// every run's output, every mutation the fake recorded) never shows the secret it was given, even
// where the fake's own records hold it as the vendor script received it (im_ctl.sh -t TOKEN).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { FIXTURES } from './golden.js';

const CLI = join(import.meta.dirname, 'fakehost', 'cli.ts');
const TOKEN = 'Fk9-distinctive-im-token-7Qz';

test('fakehost --verbose masks the --token value in everything it prints', () => {
  const bundle = join(FIXTURES, 'cluster', 'expected');
  const r = spawnSync(process.execPath, ['--import', 'tsx', CLI, bundle, '--host', 'im-server', '--token', TOKEN, '--verbose'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const printed = r.stdout + r.stderr;
  assert.match(printed, /im-server run1=0/);
  // The vendor call the fake recorded is printed, its secret masked.
  assert.match(printed, /mutation: im_ctl\.sh run .* -t <the --token value>/);
  assert.equal(printed.includes(TOKEN), false, 'the token is printed');
});
