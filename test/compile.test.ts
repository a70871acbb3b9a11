import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { compile, createToolchain } from '../src/index.js';
import { FIXTURES, GOLDEN_GENERATED_BY, GOLDEN_TODAY, REPO, fixtureDirs } from './golden.js';

const toolchain = createToolchain();
const opts = { today: GOLDEN_TODAY, generatedBy: GOLDEN_GENERATED_BY, toolchain };
const read = (p: string) => readFileSync(p, 'utf8');

test('compiling twice gives identical bytes, with a fresh or a shared toolchain', () => {
  for (const name of ['cluster', 'cluster-scaled', 'standalone']) {
    const text = read(join(FIXTURES, name, 'spec.yaml'));
    const a = compile(text, opts);
    const b = compile(text, opts);
    const c = compile(text, { today: GOLDEN_TODAY, generatedBy: GOLDEN_GENERATED_BY, toolchain: createToolchain() });
    assert.ok(a.ok, name);
    assert.deepEqual(b.files, a.files, name);
    assert.deepEqual(c.files, a.files, name);
  }
});

test('the date only changes diagnostics, never the bundle', () => {
  const text = read(join(FIXTURES, 'cluster', 'spec.yaml'));
  const a = compile(text, opts);
  const b = compile(text, { ...opts, today: '2030-06-15' });
  assert.deepEqual(b.files, a.files);
});

test('the cluster fixture calls the vendor scripts exactly as the seed guide does', () => {
  const host = (h: string) => read(join(FIXTURES, 'cluster', 'expected', 'hosts', h, 'install.sh'));
  const runs = (h: string) => host(h).split('\n').filter((l) => /^\s+vendor \S+ run /.test(l)).map((l) => l.trim());
  const img = 'portsip/pbx:22';
  assert.deepEqual(runs('pbx-main'), [`vendor pbx_ctl.sh run -p /var/lib/portsip -a 192.168.1.20 -i ${img}`]);
  assert.deepEqual(runs('media-server-1'), [`vendor cluster_ctl.sh run -p /var/lib/portsip -a 192.168.1.21 -x 192.168.1.20 -i ${img} -s media-server-only -n media-server-1`]);
  assert.deepEqual(runs('queue-server-1'), [`vendor cluster_ctl.sh run -p /var/lib/portsip -a 192.168.1.22 -x 192.168.1.20 -i ${img} -s queue-server-only -n queue-server-1`]);
  assert.deepEqual(runs('meeting-server-1'), [`vendor cluster_ctl.sh run -p /var/lib/portsip -a 192.168.1.23 -x 192.168.1.20 -i ${img} -s meeting-server-only -n meeting-server-1`]);
  // E1: the guide registers vr-server-1 in the portal but installs -n ivr-server-1; one name only.
  assert.deepEqual(runs('vr-server-1'), [`vendor cluster_ctl.sh run -p /var/lib/portsip -a 192.168.1.24 -x 192.168.1.20 -i ${img} -s vr-server-only -n vr-server-1`]);
  assert.deepEqual(runs('im-server'), [`vendor im_ctl.sh run -E -p /var/lib/portsip -a 192.168.1.25 -A 104.18.36.110 -i ${img} -x 192.168.1.20 -t "$secret_value"`]);
  assert.deepEqual(runs('dataflow'), [`vendor dataflow_ctl.sh run -p /var/lib/portsip -a 192.168.1.26 -i ${img} -x 192.168.1.20 -d portsip/clickhouse:25.8`]);
  const trusted = host('pbx-main').split('\n').filter((l) => l.includes('--add-source=') && !l.includes('show_cmd')).map((l) => l.trim());
  assert.deepEqual(trusted, [21, 22, 23, 24, 25, 26].map((n) => `firewall-cmd --permanent --zone=trusted --add-source=192.168.1.${n}`));
  for (const h of ['media-server-1', 'queue-server-1', 'meeting-server-1', 'vr-server-1', 'im-server', 'dataflow', 'pbx-main']) {
    assert.ok(!host(h).includes('ivr-server'), `${h} mentions ivr-server`);
  }
});

test('no secret value or secret-looking token is ever written', () => {
  const text = read(join(REPO, 'examples', 'cluster.yaml'));
  const r = compile(text, opts);
  assert.ok(r.ok);
  for (const f of r.files!) assert.ok(!/MJC4NZBLYTGTZTJJ/.test(f.content), f.path);
});

test('the input text is the only input: compile does not depend on the working directory', () => {
  const text = read(join(FIXTURES, 'cluster', 'spec.yaml'));
  const cwd = process.cwd();
  const a = compile(text, opts);
  process.chdir('/');
  try {
    const b = compile(text, opts);
    assert.deepEqual(b.files, a.files);
  } finally {
    process.chdir(cwd);
  }
});

test('every step of every golden plan.json says what vendor code it runs (calls) and where in the spec it comes from (origin)', () => {
  // registry-login's call is a system tool's (docker login), held in calls[] like vendor code.
  const VENDOR_KINDS = new Set(['docker', 'vendor-run', 'vendor-restart', 'ha-once', 'ha-deploy', 'ha-extend', 'registry-login']);
  let steps = 0;
  for (const dir of fixtureDirs()) {
    const file = join(dir, 'expected', 'plan.json');
    if (!existsSync(file)) continue;
    const plan = JSON.parse(read(file)) as { formatVersion: number; hosts: { hostname: string; steps: { id: string; kind: string; origin: { path: string; line: number }[]; calls: { purpose: string; argv: string[]; secrets: { index: number; label: string }[] }[] }[] }[] };
    assert.equal(plan.formatVersion, 2, file);
    for (const h of plan.hosts) {
      for (const s of h.steps) {
        steps++;
        const where = `${relative(FIXTURES, dir)} ${h.hostname}/${s.id}`;
        assert.ok(Array.isArray(s.calls), `${where}: no calls`);
        assert.ok(s.origin.length > 0 && s.origin.every((o) => o.line >= 1 && o.path), `${where}: empty origin`);
        assert.equal(s.calls.some((c) => c.purpose === 'action'), VENDOR_KINDS.has(s.kind), `${where}: a ${s.kind} step ${VENDOR_KINDS.has(s.kind) ? 'must' : 'must not'} call vendor code`);
        for (const c of s.calls) for (const x of c.secrets) assert.match(c.argv[x.index] ?? '', /^<.*, read at run time>$/, `${where}: secret ${x.label} is not a placeholder`);
      }
    }
  }
  assert.ok(steps > 200, `only ${steps} steps checked`);
});

test('the shipped validator carries its schema: a missing key is hinted with an example value from the schema', () => {
  const text = read(join(FIXTURES, 'ha-aws', 'spec.yaml')).replace(/^\s*ebsVolumeId:.*\n/m, '');
  const r = compile(text, opts);
  const d = r.diagnostics.find((x) => x.code === 'schema_required');
  assert.ok(d, 'removing ebsVolumeId is reported');
  assert.match(d.hint ?? '', /ebsVolumeId: vol-[0-9a-f]+/);
});
