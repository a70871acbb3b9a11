// Fake hosts kept across runs (test/fakehost/state.ts): a host continued from its root keeps
// what an earlier bundle installed, and the dump is one sorted line per fact, so two states
// compare line by line. Proof on a change that a plain bundle of NEW can carry out itself (a new
// media server: new host, new trusted source): OLD then NEW gives the state of NEW installed fresh.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import test from 'node:test';
import { compile, createToolchain } from '../src/index.js';
import { bundleHosts } from './fakehost/bundle.js';
import { converge } from './fakehost/cycle.js';
import { dumpState, setUpStateHost } from './fakehost/state.js';
import { FIXTURES, GOLDEN_GENERATED_BY, GOLDEN_TODAY } from './golden.js';

const toolchain = createToolchain();

function writeBundle(spec: string, dir: string): void {
  const r = compile(readFileSync(spec), { today: GOLDEN_TODAY, generatedBy: GOLDEN_GENERATED_BY, toolchain });
  assert.ok(r.ok, spec);
  for (const f of r.files ?? []) {
    mkdirSync(dirname(join(dir, f.path)), { recursive: true });
    writeFileSync(join(dir, f.path), f.content, { mode: f.mode });
  }
}

async function apply(bundle: string, state: string): Promise<number[]> {
  const mutations: number[] = [];
  for (const h of bundleHosts(bundle)) {
    const setup = setUpStateHost(h, state);
    const r = await converge(setup, setup.script, ['--yes']);
    assert.equal(r.result.code, 0, `${h.host.hostname}: ${r.result.stderr}`);
    mutations.push(r.result.mutations.length);
  }
  return mutations;
}

test('fake host state: OLD then NEW equals NEW fresh; a second run changes nothing; the dump is sorted', async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'pbxplan-state-'));
  try {
    const pair = join(FIXTURES, 'changes', 'add-media');
    writeBundle(join(pair, 'old.yaml'), join(tmp, 'old'));
    writeBundle(join(pair, 'new.yaml'), join(tmp, 'new'));
    await apply(join(tmp, 'old'), join(tmp, 'continued'));
    const before = dumpState(join(tmp, 'continued'));
    await apply(join(tmp, 'new'), join(tmp, 'continued'));
    await apply(join(tmp, 'new'), join(tmp, 'fresh'));
    const after = dumpState(join(tmp, 'continued'));
    assert.deepEqual(after, dumpState(join(tmp, 'fresh')));
    assert.deepEqual(after, [...after].sort());
    assert.notDeepEqual(before, after);
    assert.ok(after.includes('pbx-main firewall permanent trusted source 192.168.1.27'));
    assert.ok(after.some((l) => l.startsWith('media-server-2 container portsip.mediaserver image=portsip/pbx:22.3 running=yes')));
    assert.deepEqual((await apply(join(tmp, 'new'), join(tmp, 'continued'))).filter((n) => n !== 0), []);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
