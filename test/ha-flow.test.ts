// The HA control flow on a host (issue #11, item 5): --yes never stands for the portal work, an
// unconfirmed checkpoint and a self-reboot end the run with their own exit codes, IM tokenRef is
// optional on HA, AWS extended servers need no instance id (and one given is checked against the
// instance metadata), and the Elastic IP is named where pbx.publicIp is missing on AWS.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { compile, createToolchain } from '../src/index.js';
import { bundleHosts, goldenBundles, setUpHost } from './fakehost/bundle.js';
import { converge, runOn } from './fakehost/cycle.js';
import { FIXTURES, GOLDEN_GENERATED_BY, GOLDEN_TODAY } from './golden.js';

const bundles = goldenBundles(FIXTURES).map((b) => ({ ...b, hosts: bundleHosts(b.dir) }));
const hostOf = (b: string, n: string) => {
  const h = bundles.find((x) => x.name === b)?.hosts.find((x) => x.host.hostname === n);
  assert.ok(h, `${b}/${n} in the goldens`);
  return h;
};
const opts = { today: GOLDEN_TODAY, generatedBy: GOLDEN_GENERATED_BY, toolchain: createToolchain() };
const spec = (name: string) => readFileSync(join(FIXTURES, name, 'spec.yaml'), 'utf8');

/** The control node of the on-premises HA fixture: the first host, which holds the checkpoint. */
const control = () => bundles.find((b) => b.name === 'ha-onprem')!.hosts[0]!;
const extendCalls = (mutations: string[]) => mutations.filter((m) => /^(?:\S*\/)?(?:extend|im|dataflow|sbc)\.sh /.test(m));

test('--yes alone stops at the portal checkpoint with exit 5 and deploys nothing; --portal-done goes on', async () => {
  const h = control();
  assert.ok(h.host.steps.some((s) => s.kind === 'checkpoint'), 'the control node has the checkpoint');
  const setup = setUpHost(h, { portalDone: false });
  try {
    const r = await converge(setup, setup.script, ['--yes']);
    assert.equal(r.result.code, 5, r.result.stderr);
    assert.match(r.result.stderr, /\[portal-ready\] waiting: not confirmed[^\n]*--portal-done/);
    assert.doesNotMatch(r.result.stderr, /FAILED/);
    assert.deepEqual(extendCalls(r.result.mutations), [], 'no extended server deployed');
    const done = await runOn(setup, setup.script, ['--yes', '--portal-done']);
    assert.equal(done.result.code, 0, done.result.stderr);
    assert.match(done.result.stderr, /confirmed by --portal-done/);
    assert.ok(extendCalls(done.result.mutations).length > 0, 'the extended servers are deployed');
    const again = await runOn(setup, setup.script, ['--yes']);
    assert.equal(again.result.code, 0, again.result.stderr);
    assert.deepEqual(again.result.mutations, []);
  } finally {
    setup.fake.dispose();
  }
});

test('the operator\'s file confirms the checkpoint instead of the flag, once', async () => {
  const h = control();
  const setup = setUpHost(h, { portalDone: false });
  try {
    assert.equal((await converge(setup, setup.script, ['--yes'])).result.code, 5);
    const file = `/var/lib/pbxplan/${h.plan.cluster.name}/portal-done`;
    setup.fake.writeFile(file, '', 0o600);
    const r = await runOn(setup, setup.script, ['--yes']);
    assert.equal(r.result.code, 0, r.result.stderr);
    assert.ok(r.result.stderr.includes(`confirmed by ${file}`));
    assert.ok(!existsSync(setup.fake.hostPath(file)), 'the confirmation is used up: later portal work needs its own');
  } finally {
    setup.fake.dispose();
  }
});

test('a run that reboots its own host exits 6 (run again after the reboot), never 0', async () => {
  const h = control();
  assert.ok(h.host.steps.some((s) => s.kind === 'reboot-self'));
  const setup = setUpHost(h);
  try {
    const r = await runOn(setup, setup.script, ['--yes']);
    assert.equal(r.result.code, 6, r.result.stderr);
    assert.match(r.result.stderr, /\] rebooting: run this script again/);
    const help = await runOn(setup, setup.script, ['--help']);
    assert.match(help.result.stdout, /5 stopped at a checkpoint/);
    assert.match(help.result.stdout, /6 this host reboots now/);
    assert.match(help.result.stdout, /--portal-done/);
  } finally {
    setup.fake.dispose();
  }
});

test('IM tokenRef: optional on HA (im.sh takes no token), still required on a single PBX', () => {
  const ha = spec('ha-onprem-full').replace(/^\s*tokenRef: \{ env: PBXPLAN_IM_TOKEN \}\n/m, '');
  assert.ok(!ha.includes('tokenRef'));
  const r = compile(ha, opts);
  assert.ok(r.ok, JSON.stringify(r.diagnostics.filter((d) => d.severity === 'error')));
  const single = spec('cluster').replace(/,? ?tokenRef: \{[^}]*\}/, '');
  assert.notEqual(single, spec('cluster'), 'the cluster fixture has an IM tokenRef');
  const s = compile(single, opts);
  assert.ok(s.diagnostics.some((d) => d.code === 'schema_required' && d.message.includes('"tokenRef"')), 'single: tokenRef required');
});

test('AWS: the seed topology without extended-server instance ids compiles; PBX nodes still need theirs', () => {
  const text = spec('ha-aws').replace(/^(  - \{ role: .*), instanceId: i-[0-9a-f]+ \}$/gm, '$1 }');
  assert.ok((spec('ha-aws').match(/instanceId/g) ?? []).length > (text.match(/instanceId/g) ?? []).length, 'servers lost their ids');
  const r = compile(text, opts);
  assert.ok(r.ok, JSON.stringify(r.diagnostics.filter((d) => d.severity === 'error')));
  const noNode = spec('ha-aws').replace(/instanceId: i-[0-9a-f]+/, 'name2: x').replace(/, name2: x|name2: x,? ?/, '');
  const n = compile(noNode, opts);
  assert.ok(n.diagnostics.some((d) => d.code === 'aws_instance_id_missing') || !n.ok);
});

test('AWS: an instance id given is compared with the instance metadata; a mismatch stops the preflight', async () => {
  const b = bundles.find((x) => x.name === 'ha-aws')!;
  const h = b.hosts.find((x) => x.host.role !== 'pbx' && x.host.preflight.instanceId);
  assert.ok(h, 'an extended server with an instance id');
  const wrong = setUpHost(h, { facts: { awsInstanceId: 'i-0fffffffffffffff0' } });
  try {
    const r = await runOn(wrong, wrong.script, ['--yes']);
    assert.equal(r.result.code, 3, r.result.stderr);
    assert.match(r.result.stderr, /EC2 instance id as in the spec \(instance metadata\)[^\n]*FAILED/);
    assert.deepEqual(r.result.mutations, []);
  } finally {
    wrong.fake.dispose();
  }
  const right = setUpHost(h);
  try {
    const r = await runOn(right, right.script, ['--check']);
    assert.notEqual(r.result.code, 3, r.result.stderr);
    assert.match(r.result.stderr, /EC2 instance id as in the spec \(instance metadata\)[^\n]*ok/);
  } finally {
    right.fake.dispose();
  }
});

test('AWS: a missing pbx.publicIp is hinted as the Elastic IP', () => {
  const r = compile(spec('ha-aws').replace(/^  publicIp: .*\n/m, ''), opts);
  const d = r.diagnostics.find((x) => x.code === 'schema_required' && x.message.includes('"publicIp"'));
  assert.ok(d, 'reported');
  assert.match(d.hint ?? '', /Elastic IP/);
});

void hostOf;
