// pbxplan diff: the change corpus (fixtures/changes/<case>/{old.yaml,new.yaml,expected/}) with
// golden text and JSON and the exit code, plan.json sides classified like specs, the refusals,
// the reason catalog, and the command's exit codes. UPDATE_GOLDEN=1 rewrites the goldens.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import test from 'node:test';
import { main } from '../src/cli/main.js';
import { bundleKind, createToolchain, diff, diffExitCode, formatDiffJson, formatDiffText, loadSide, REASONS, type DiffResult, type Plan } from '../src/index.js';
import { FIXTURES, GOLDEN_GENERATED_BY, GOLDEN_TODAY, REPO } from './golden.js';

const CHANGES = join(FIXTURES, 'changes');
const toolchain = createToolchain();
const opts = { today: GOLDEN_TODAY, generatedBy: GOLDEN_GENERATED_BY, toolchain };
const UPDATE = process.env['UPDATE_GOLDEN'] === '1';

export function changeCases(): string[] {
  return readdirSync(CHANGES).filter((d) => existsSync(join(CHANGES, d, 'old.yaml'))).sort();
}

function side(kind: 'spec' | 'plan', label: string, text: string) {
  const loaded = loadSide({ kind, label, text }, opts);
  if (!loaded.ok) throw new Error(`${label}: ${loaded.problem ?? loaded.diagnostics.map((d) => d.message).join('; ')}`);
  return loaded.side;
}

export function diffCase(name: string): DiffResult {
  const dir = join(CHANGES, name);
  return diff(side('spec', 'old.yaml', readFileSync(join(dir, 'old.yaml'), 'utf8')), side('spec', 'new.yaml', readFileSync(join(dir, 'new.yaml'), 'utf8')));
}

function expectFile(path: string, actual: string): void {
  if (UPDATE) {
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  assert.ok(existsSync(path), `${relative(REPO, path)} is missing (UPDATE_GOLDEN=1 writes it)`);
  assert.equal(actual, readFileSync(path, 'utf8'), `${relative(REPO, path)} differs`);
}

test('the change corpus has at least 15 pairs and covers every action', () => {
  const cases = changeCases();
  assert.ok(cases.length >= 15, `${cases.length} pairs`);
  const actions = new Set(cases.flatMap((c) => diffCase(c).changes.map((x) => x.action)));
  for (const a of ['add', 'update', 'recreate', 'remove', 'upgrade']) assert.ok(actions.has(a as never), `no pair gives ${a}`);
  // restart appears as what an added cluster server forces
  assert.ok(cases.some((c) => diffCase(c).changes.some((x) => x.forces.some((f) => f.action === 'restart'))));
});

for (const name of changeCases()) {
  test(`diff golden: changes/${name}`, () => {
    const r = diffCase(name);
    const dir = join(CHANGES, name, 'expected');
    expectFile(join(dir, 'diff.txt'), formatDiffText(r));
    expectFile(join(dir, 'diff.json'), formatDiffJson(r));
    expectFile(join(dir, 'exit-code'), `${diffExitCode(r, null)}\n`);
    // Deterministic: a second diff is the same, byte for byte.
    assert.equal(formatDiffJson(diffCase(name)), formatDiffJson(r));
  });

  test(`plan.json sides classify like specs: changes/${name}`, () => {
    const dir = join(CHANGES, name);
    const planOf = (f: string) => side('spec', f, readFileSync(join(dir, f), 'utf8')).plan;
    const fromPlans = diff(side('plan', 'old/plan.json', JSON.stringify(planOf('old.yaml'))), side('plan', 'new/plan.json', JSON.stringify(planOf('new.yaml'))));
    const shape = (r: DiffResult) => r.changes.map((c) => [c.action, c.reason, c.hosts, c.detail, c.forces, c.old?.path ?? null, c.new?.path ?? null]);
    const fromSpecs = diffCase(name);
    assert.deepEqual(shape(fromPlans), shape(fromSpecs));
    assert.deepEqual(fromPlans.errors.map((e) => e.reason), fromSpecs.errors.map((e) => e.reason));
  });
}

test('the classification follows the change rules', () => {
  const reasons = (name: string) => diffCase(name).changes.map((c) => `${c.action}:${c.reason}`);
  // A new PBX address recreates the PBX and forces every cluster server, IM and Data Flow; nothing else is listed.
  const pbx = diffCase('pbx-ip-change');
  assert.deepEqual(reasons('pbx-ip-change').filter((r) => r.startsWith('recreate')), ['recreate:pbx_address_changed']);
  assert.deepEqual(pbx.changes[0]!.forces.map((f) => `${f.action} ${f.host}`), ['recreate media-server-1', 'recreate queue-server-1', 'recreate meeting-server-1', 'recreate vr-server-1', 'recreate im-server', 'recreate dataflow']);
  // A new media server restarts the load balancer and every cluster server, not the PBX.
  const added = diffCase('add-media').changes.find((c) => c.reason === 'host_added')!;
  assert.deepEqual(added.forces.map((f) => `${f.action} ${f.host} ${f.what}`), ['restart pbx-main resource load balancer', 'restart media-server-1 media', 'restart queue-server-1 queue', 'restart meeting-server-1 meeting', 'restart vr-server-1 ivr']);
  // HA: no restart is documented after extend.sh run.
  assert.deepEqual(diffCase('ha-extended-add').changes.flatMap((c) => c.forces), []);
  // maxCallSessions is a portal edit only.
  assert.deepEqual(reasons('media-max-call-sessions'), ['update:portal_server_changed']);
  assert.deepEqual(reasons('im-token-ref-change'), ['recreate:im_token_ref_changed']);
  assert.deepEqual(reasons('whitelist-expiry'), ['update:whitelist_expiry_changed']);
  assert.ok(diffCase('ha-vip-change').changes.every((c) => c.reason !== 'ha_virtual_ip_changed' || c.manual));
  // A removed server leaves no trust, whitelist or portal entry behind.
  assert.deepEqual(reasons('remove-media').sort(), ['remove:host_removed', 'update:portal_server_removed', 'update:trust_source_removed', 'update:whitelist_entry_removed']);
  assert.deepEqual(diffCase('no-change').changes, []);
  assert.equal(diffExitCode(diffCase('waiver-change'), null), 0);
  assert.equal(diffCase('waiver-change').waivers.length, 1);
});

test('secrets appear only as references', () => {
  const text = formatDiffJson(diffCase('im-token-ref-change'));
  assert.match(text, /env PBXPLAN_IM_TOKEN → file \/root\/im-token-2026/);
});

test('--deny: a change at or above the level, its forces included', () => {
  const add = diffCase('add-media');
  assert.equal(diffExitCode(add, 'recreate'), 3);
  assert.equal(diffExitCode(add, 'restart'), 5); // it forces restarts
  assert.equal(diffExitCode(diffCase('remove-media'), 'remove'), 5);
  assert.equal(diffExitCode(diffCase('media-max-call-sessions'), 'restart'), 3);
});

function planWithVersion(plan: Plan, image: string, version: string): Plan {
  return { ...plan, release: { ...plan.release, pbxImage: image, pbxVersion: version } };
}

test('a downgrade and a jump across majors are refused, naming the documented alternative', () => {
  const dir = join(CHANGES, 'release-upgrade');
  const old = side('spec', 'old.yaml', readFileSync(join(dir, 'old.yaml'), 'utf8'));
  const v16 = { ...old, plan: planWithVersion(old.plan, 'portsip/pbx:16.4', '16.4.8') };
  const jump = diff(v16, old);
  assert.deepEqual(jump.errors.map((e) => e.reason), ['release_major_jump']);
  assert.match(jump.errors[0]!.message, /rebuild/);
  const down = diffCase('release-downgrade');
  assert.deepEqual(down.errors.map((e) => e.reason), ['release_downgrade']);
  assert.match(down.errors[0]!.message, /restore the backup/);
  assert.equal(diffExitCode(down, null), 1);
});

test('protect: recreate or remove of a protected host is refused unless allowed', () => {
  const dir = join(CHANGES, 'protect-remove');
  const a = side('spec', 'old.yaml', readFileSync(join(dir, 'old.yaml'), 'utf8'));
  const b = side('spec', 'new.yaml', readFileSync(join(dir, 'new.yaml'), 'utf8'));
  assert.deepEqual(diff(a, b).errors.map((e) => `${e.reason} ${e.hosts.join(',')}`), ['protected_host_destroyed dataflow']);
  assert.deepEqual(diff(a, b, { allowDestroy: true }).errors, []);
  // A forced recreation counts too: protecting media refuses a new PBX address.
  const pbx = join(CHANGES, 'pbx-ip-change');
  const o = side('spec', 'old.yaml', readFileSync(join(pbx, 'old.yaml'), 'utf8').replace('whitelist:', 'protect: [media]\nwhitelist:'));
  const n = side('spec', 'new.yaml', readFileSync(join(pbx, 'new.yaml'), 'utf8'));
  assert.deepEqual(diff(o, n).errors.map((e) => e.hosts.join(',')), ['media-server-1']);
});

test('every reason code a diff gives is catalogued, and explain knows every reason code', async () => {
  const used = new Set(changeCases().flatMap((c) => {
    const r = diffCase(c);
    return [...r.changes.map((x) => x.reason), ...r.errors.map((x) => x.reason), ...r.waivers.map((x) => x.reason)];
  }));
  for (const code of used) assert.ok(code in REASONS, code);
  for (const [code, e] of Object.entries(REASONS)) {
    let out = '';
    const rc = await main(['explain', code], { out: (s) => (out += s), err: () => {}, stderrIsTty: false, stdinIsTty: false, env: {}, cwd: null });
    assert.equal(rc, 0, code);
    assert.ok(out.includes(e.doc), code);
  }
});

test('pbxplan diff: exit codes 0, 3, 5, 1 and 2; OLD may be a bundle directory', async () => {
  const run = async (...argv: string[]) => {
    let out = '';
    let err = '';
    const rc = await main(['diff', ...argv, '--today', GOLDEN_TODAY], { out: (s) => (out += s), err: (s) => (err += s), stderrIsTty: false, stdinIsTty: false, env: { PBXPLAN_GENERATED_BY: GOLDEN_GENERATED_BY }, cwd: null });
    return { rc, out, err };
  };
  const c = (n: string, f: string) => join(CHANGES, n, f);
  assert.equal((await run(c('no-change', 'old.yaml'), c('no-change', 'new.yaml'))).rc, 0);
  assert.equal((await run(c('add-media', 'old.yaml'), c('add-media', 'new.yaml'))).rc, 3);
  assert.equal((await run(c('add-media', 'old.yaml'), c('add-media', 'new.yaml'), '--deny', 'restart')).rc, 5);
  assert.equal((await run(c('release-downgrade', 'old.yaml'), c('release-downgrade', 'new.yaml'))).rc, 1);
  assert.equal((await run(c('add-media', 'old.yaml'), c('add-media', 'nope.yaml'))).rc, 2);
  assert.equal((await run(c('add-media', 'old.yaml'))).rc, 2);
  assert.equal((await run(c('add-media', 'old.yaml'), c('add-media', 'new.yaml'), '--deny', 'explode')).rc, 2);
  const tmp = mkdtempSync(join(tmpdir(), 'pbxplan-diff-'));
  try {
    // A spec with errors: its diagnostics on stderr, exit 1.
    writeFileSync(join(tmp, 'bad.yaml'), 'apiVersion: pbxplan/v1\nkind: Cluster\n');
    const bad = await run(join(tmp, 'bad.yaml'), c('add-media', 'new.yaml'));
    assert.equal(bad.rc, 1);
    assert.match(bad.err, /bad\.yaml/);
    // A bundle directory stands for its plan.json; JSON output is versioned.
    const plan = side('spec', 'old.yaml', readFileSync(c('add-media', 'old.yaml'), 'utf8')).plan;
    mkdirSync(join(tmp, 'bundle'));
    writeFileSync(join(tmp, 'bundle', 'plan.json'), JSON.stringify(plan, null, 2) + '\n');
    const fromDir = await run(join(tmp, 'bundle'), c('add-media', 'new.yaml'), '--format', 'json');
    assert.equal(fromDir.rc, 3);
    const doc = JSON.parse(fromDir.out) as DiffResult;
    assert.equal(doc.formatVersion, 1);
    for (const k of ['action', 'hosts', 'reason', 'old', 'new', 'forces']) assert.ok(k in doc.changes[0]!, k);
    writeFileSync(join(tmp, 'bundle', 'plan.json'), '{"formatVersion": 1}');
    const old = await run(join(tmp, 'bundle'), c('add-media', 'new.yaml'));
    assert.equal(old.rc, 2);
    assert.match(old.err, /plan format 1/);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('which bundle compile --from writes: none, upgrade, change, or a refusal', () => {
  assert.deepEqual(bundleKind(diffCase('no-change')), { kind: 'none' });
  assert.deepEqual(bundleKind(diffCase('waiver-change')), { kind: 'none' });
  assert.deepEqual(bundleKind(diffCase('release-upgrade')), { kind: 'upgrade' });
  assert.deepEqual(bundleKind(diffCase('add-media')), { kind: 'change' });
  const down = bundleKind(diffCase('release-downgrade'));
  assert.equal(down.kind, 'refused');
  // The release and something else at once: two bundles.
  const dir = join(CHANGES, 'add-media');
  const mixed = diff(side('spec', 'old.yaml', readFileSync(join(dir, 'old.yaml'), 'utf8')), side('spec', 'new.yaml', readFileSync(join(dir, 'new.yaml'), 'utf8').replace('portsip/pbx:22.3', 'portsip/pbx:22.4')));
  const k = bundleKind(mixed);
  assert.equal(k.kind, 'refused');
  assert.match(k.kind === 'refused' ? k.message : '', /host_added.*make the upgrade a bundle of its own/);
});

test('a plan.json that is not one pbxplan wrote is refused with the place, never a crash', () => {
  const good = side('spec', 'old.yaml', readFileSync(join(CHANGES, 'ha-extended-add', 'old.yaml'), 'utf8')).plan;
  const target = side('spec', 'new.yaml', readFileSync(join(CHANGES, 'ha-extended-add', 'new.yaml'), 'utf8'));
  // Every object of the plan, each of its keys deleted or replaced by a wrong type in turn.
  const objects: Record<string, unknown>[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.slice(0, 2).forEach(walk);
    else if (v && typeof v === 'object') {
      objects.push(v as Record<string, unknown>);
      Object.values(v).forEach(walk);
    }
  };
  walk(good);
  let refused = 0;
  for (const o of objects) {
    for (const k of Object.keys(o)) {
      for (const bad of [undefined, 7, 'x', [1]]) {
        const keep = o[k];
        if (bad === undefined) delete o[k];
        else o[k] = bad;
        const text = JSON.stringify(good);
        if (bad === undefined) o[k] = keep;
        else o[k] = keep;
        const loaded = loadSide({ kind: 'plan', label: 'plan.json', text }, opts);
        if (!loaded.ok) {
          refused++;
          assert.match(loaded.problem ?? '', /^plan\.json (is not a plan\.json pbxplan can read|is plan format)/);
          continue;
        }
        assert.doesNotThrow(() => formatDiffText(diff(loaded.side, target)), `${k} = ${JSON.stringify(bad)}`);
      }
    }
  }
  assert.ok(refused > 100, `${refused} refused`);
});
