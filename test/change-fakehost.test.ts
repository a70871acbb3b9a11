// Proof of change bundles on the fake host (issue #12 item 4): for every pair of
// fixtures/changes/ the compiler builds a change bundle for, OLD is installed on fake hosts kept
// across runs, the change bundle is applied host by host in its runbook's order, and the state
// (test/fakehost/state.ts: containers with arguments, images, firewalld permanent and runtime,
// markers, managed files, and the portal's servers and whitelist as the runbook had the operator
// keep them: portal.ts) must equal a fresh install of NEW; a host NEW no longer has keeps no
// container and no trust. The change bundle's --check exits 2 before (on the hosts it changes)
// and 0 after, a second run changes nothing, and a host installed from another base refuses
// (exit 3). Installs are shared: each distinct spec is installed once and its state copied.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import test from 'node:test';
import { compile, createToolchain } from '../src/index.js';
import { applyBundle, compareStates, formatComparison, sameState, type AppliedRun } from './fakehost/apply.js';
import { readPlan } from './fakehost/bundle.js';
import { dumpState } from './fakehost/state.js';
import { FIXTURES, GOLDEN_GENERATED_BY, GOLDEN_TODAY } from './golden.js';

const toolchain = createToolchain();
const CHANGES = join(FIXTURES, 'changes');
const tmp = mkdtempSync(join(tmpdir(), 'pbxplan-change-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

interface Written {
  dir: string;
}

function writeFiles(files: { path: string; content: string | Uint8Array; mode?: number }[], dir: string): Written {
  for (const f of files) {
    mkdirSync(dirname(join(dir, f.path)), { recursive: true });
    writeFileSync(join(dir, f.path), f.content, f.mode !== undefined ? { mode: f.mode } : {});
  }
  return { dir };
}

const opts = { today: GOLDEN_TODAY, generatedBy: GOLDEN_GENERATED_BY, toolchain };

/** The full bundle of a spec, compiled once per distinct spec text. */
const fullBundles = new Map<string, string>();
function fullBundle(spec: string): string {
  const text = readFileSync(spec);
  const key = createHash('sha256').update(text).digest('hex').slice(0, 16);
  const known = fullBundles.get(key);
  if (known) return known;
  const r = compile(text, opts);
  assert.ok(r.ok, `${spec} does not compile`);
  const dir = join(tmp, 'bundles', key);
  writeFiles(r.files ?? [], dir);
  fullBundles.set(key, dir);
  return dir;
}

/** What a bundle does to its hosts: its hosts/ files without their comment lines. Pairs' specs
 * differ in their comments (the spec hash and `# from` lines follow), not in what they install,
 * so bundles with the same key leave the same state and share one install. */
function hostsKey(bundle: string): string {
  const h = createHash('sha256');
  const walk = (dir: string, rel: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (e.isDirectory()) walk(join(dir, e.name), `${rel}${e.name}/`);
      else h.update(`${rel}${e.name}\0${readFileSync(join(dir, e.name), 'utf8').replace(/^[ \t]*#.*\n/gm, '')}\0`);
    }
  };
  walk(join(bundle, 'hosts'), '');
  return h.digest('hex').slice(0, 16);
}

/** A fresh install of a full bundle in its runbook's order, made once per hostsKey; callers get
 * their own copy. */
const installs = new Map<string, Promise<string>>();
function installed(bundle: string): Promise<string> {
  const key = hostsKey(bundle);
  let p = installs.get(key);
  if (!p) {
    p = (async () => {
      const state = join(tmp, 'installs', key);
      const runs = await applyBundle(bundle, state);
      const bad = runs.filter((r) => r.code !== 0);
      assert.deepEqual(bad.map(describeRun), [], `installing ${bundle}`);
      return state;
    })();
    installs.set(key, p);
  }
  return p;
}

async function copyOf(bundle: string, name: string): Promise<string> {
  const dest = join(tmp, 'work', name);
  rmSync(dest, { recursive: true, force: true });
  cpSync(await installed(bundle), dest, { recursive: true });
  return dest;
}

function describeRun(r: AppliedRun): string {
  return `${r.host} ${r.args.join(' ')} → exit ${r.code}${r.code ? `\n${r.stderr.trimEnd().split('\n').slice(-6).join('\n')}` : ''}`;
}

// ---- the change bundle, from the compiler's library face --------------------------------------
type ChangeOutcome = { dir: string; actions: string[] } | { refused: string };

/** compileChange(NEW, { spec: OLD }, options) (src/compile-change.ts); before it exists every
 * pair is refused, saying so. */
async function changeBundle(pair: string): Promise<ChangeOutcome> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import('../src/compile-change.js' as string)) as Record<string, unknown>;
  } catch (e) {
    return { refused: `no change compiler yet (${(e as Error).message.split('\n')[0]})` };
  }
  const compileChange = mod['compileChange'] as ((n: Uint8Array, from: { spec: Uint8Array; specName: string }, o: typeof opts & { specName: string }) => { ok: boolean; kind?: string; files?: { path: string; content: string | Uint8Array; mode?: number }[]; refusal?: string; diagnostics?: { code: string; message?: string }[] }) | undefined;
  if (!compileChange) return { refused: 'src/compile-change.ts exports no compileChange' };
  const r = compileChange(readFileSync(join(CHANGES, pair, 'new.yaml')), { spec: readFileSync(join(CHANGES, pair, 'old.yaml')), specName: 'old.yaml' }, { ...opts, specName: 'new.yaml' });
  if (!r.ok) return { refused: r.refusal ?? ((r.diagnostics ?? []).map((d) => `${d.code}${d.message ? `: ${d.message}` : ''}`).join('; ') || 'refused') };
  if (r.kind !== 'change') return { refused: `compiled as ${r.kind ?? 'no'} bundle, not a change bundle (upgrade bundles: test/upgrade-fakehost.test.ts)` };
  const dir = join(tmp, 'changes', pair);
  writeFiles(r.files ?? [], dir);
  const manual = (readPlan(dir) as { change?: { manual?: string[] } }).change?.manual ?? [];
  if (manual.length) return { refused: `manual: the vendor documents no procedure (${manual.join('; ')}); the runbook gives the steps, no script runs them` };
  // The actions of the diff, and those it forces on other hosts.
  const diff = JSON.parse(readFileSync(join(CHANGES, pair, 'expected', 'diff.json'), 'utf8')) as { changes: { action: string; forces: { action: string }[] }[] };
  return { dir, actions: [...new Set(diff.changes.flatMap((c) => [c.action, ...c.forces.map((f) => f.action)]))].sort() };
}

interface PairResult {
  pair: string;
  actions: string[];
  topology: string;
  result: string;
  seconds: number;
}

/** Everything a change bundle must prove on one pair; the problems found (empty: proven). */
export async function provePair(name: string, oldBundle: string, change: string, newBundle: string): Promise<string[]> {
  const problems: string[] = [];
  const state = await copyOf(oldBundle, name);
  // --check before: exits 2 on every host the change then changes, 0 on the others.
  const before = await applyBundle(change, state, { each: ['--check'] });
  if (before.some((r) => r.mutations.length || r.fsChanges.length)) problems.push(`--check before changed something: ${before.filter((r) => r.mutations.length || r.fsChanges.length).map((r) => r.host).join(', ')}`);
  const applied = await applyBundle(change, state);
  const failed = applied.filter((r) => r.code !== 0);
  if (failed.length) problems.push(`the change failed:\n${failed.map(describeRun).join('\n')}`);
  // Changed: an outside command or any file (pbxplan's own markers included: --check announces
  // a marker the run will bring to NEW's value).
  // The script's own lock and log directory (created by a first run on a new root) are no change.
  const changedHosts = new Set(applied.filter((r) => r.mutations.length || r.fsChanges.some((f) => !/^. (run\/lock|var\/log\/pbxplan)/.test(f))).map((r) => r.host));
  // A host checked in several scopes (--only restart and the like): 2 when one says 2.
  const checked = new Map<string, AppliedRun>();
  for (const r of before) if (!checked.has(r.host) || r.code === 2 || checked.get(r.host)!.code === 0) checked.set(r.host, r);
  for (const [host, r] of checked) {
    const want = changedHosts.has(host) ? 2 : 0;
    const what = applied.filter((a) => a.host === host).flatMap((a) => [...a.mutations, ...a.fsChanges]).slice(0, 3).join(' | ');
    if (r.code !== want) problems.push(`--check${r.args.slice(1).map((a) => ` ${a}`).join('')} before on ${host} exited ${r.code}, expected ${want} (the change ${want ? `changed it: ${what}` : 'did not change it'})${r.code === 1 ? `\n${r.stderr.trimEnd().split('\n').filter((l) => /drift|FAILED/.test(l)).slice(0, 3).join('\n')}` : ''}`);
  }
  // The state equals NEW installed fresh.
  const fresh = dumpState(await installed(newBundle));
  const newPlan = readPlan(newBundle);
  const cmp = compareStates(dumpState(state), fresh, newPlan.hosts.map((h) => h.hostname), newPlan.hosts.map((h) => h.privateIp));
  if (!sameState(cmp)) problems.push(`the state after the change differs from NEW installed fresh:\n${formatComparison(cmp)}`);
  // A second run changes nothing; --check after says converged.
  const again = await applyBundle(change, state);
  const busy = again.filter((r) => r.code !== 0 || r.mutations.length || r.fsChanges.length);
  if (busy.length) problems.push(`a second run of the change was not a no-op:\n${busy.map((r) => `${describeRun(r)} mutations=${r.mutations.length} ${r.mutations.slice(0, 3).join(' | ')} files=${r.fsChanges.slice(0, 3).join(', ')}`).join('\n')}`);
  const after = await applyBundle(change, state, { each: ['--check'] });
  for (const r of after) if (r.code !== 0) problems.push(`--check after on ${r.host} exited ${r.code}\n${r.stderr.trimEnd().split('\n').slice(-4).join('\n')}`);
  return problems;
}

/** The pairs of fixtures/changes/ (CHANGE_PAIRS=a,b narrows them, for people; the count
 * assertion then does not apply). */
function pairs(): string[] {
  const only = process.env['CHANGE_PAIRS']?.split(',').filter(Boolean);
  return readdirSync(CHANGES, { withFileTypes: true })
    .filter((e) => !only || only.includes(e.name))
    .filter((e) => e.isDirectory() && existsSync(join(CHANGES, e.name, 'old.yaml')) && existsSync(join(CHANGES, e.name, 'new.yaml')))
    .map((e) => e.name)
    .sort();
}

/** Runs `fn` over `items`, `jobs` at a time (the machine has two cores). */
async function pool<T, R>(items: T[], jobs: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(jobs, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  }));
  return out;
}

// ---- the harness itself: it passes where nothing changes and catches a planted difference ----
const IDENTITY = join(CHANGES, 'add-media', 'new.yaml'); // the vendor guide's cluster plus a second media server

test('harness: OLD = NEW, the full bundle as the change: same state, converged, no-op again', async () => {
  const bundle = fullBundle(IDENTITY);
  const problems = await provePair('identity', bundle, bundle, bundle);
  assert.deepEqual(problems, []);
});

test('harness: a planted difference is caught — a trust kept, a container left on a retired host, a changed argument', async () => {
  const bundle = fullBundle(IDENTITY);
  const fresh = dumpState(await installed(bundle));
  const newHosts = readPlan(bundle).hosts.map((h) => h.hostname);
  const state = await copyOf(bundle, 'planted');
  assert.ok(sameState(compareStates(dumpState(state), fresh, newHosts)));
  assert.ok(dumpState(state).some((l) => l.startsWith('portal whitelist 192.168.1.27 host=media-server-2 ')));
  // A trusted source nobody removed, on the PBX, in both layers.
  const zone = join(state, 'pbx-main', '.fakehost', 'state', 'firewalld');
  for (const layer of ['permanent', 'runtime']) writeFileSync(join(zone, layer, 'zones', 'trusted', 'sources'), '192.168.1.99\n', { flag: 'a' });
  // A retired host that still runs its container.
  cpSync(join(state, 'media-server-2'), join(state, 'media-server-9'), { recursive: true });
  // A container with another argument.
  const args = join(state, 'queue-server-1', '.fakehost', 'state', 'docker', 'containers', 'portsip.callqueue', 'args');
  writeFileSync(args, readFileSync(args, 'utf8').replace('queue-server-1', 'queue-server-x'));
  const cmp = compareStates(dumpState(state), fresh, newHosts);
  assert.deepEqual(cmp.extra.filter((l) => l.includes('192.168.1.99')), ['pbx-main firewall permanent trusted source 192.168.1.99', 'pbx-main firewall runtime trusted source 192.168.1.99']);
  assert.ok(cmp.retired.some((l) => l.startsWith('media-server-9 container portsip.mediaserver ')), formatComparison(cmp));
  assert.ok(cmp.extra.some((l) => l.startsWith('queue-server-1 container portsip.callqueue ') && l.includes('queue-server-x')));
  assert.ok(cmp.missing.some((l) => l.startsWith('queue-server-1 container portsip.callqueue ') && l.includes('-n queue-server-1')));
  assert.equal(sameState(cmp), false);
  // And provePair reports it: a "change" that is the full bundle of another spec (media-server-2
  // retired in NEW but its host untouched).
  const other = fullBundle(join(CHANGES, 'remove-media', 'new.yaml'));
  const problems = await provePair('planted-remove', bundle, other, other);
  assert.ok(problems.some((p) => p.includes('! media-server-2 container portsip.mediaserver ')), problems.join('\n'));
  assert.ok(problems.some((p) => p.includes('+ pbx-main firewall permanent trusted source 192.168.1.27')), problems.join('\n'));
  // Its whitelist entry and server entry stay in the portal: a full bundle adds, never deletes.
  assert.ok(problems.some((p) => p.includes('+ portal whitelist 192.168.1.27 host=media-server-2 ')), problems.join('\n'));
  assert.ok(problems.some((p) => p.includes('+ portal server Servers > Media Servers | media-server-2 ')), problems.join('\n'));
});

// ---- the corpus ------------------------------------------------------------------------------
test('change bundles on the fake host: OLD + change = NEW fresh, for every pair the compiler builds', async (t) => {
  const results: PairResult[] = [];
  const failures: string[] = [];
  const work = await pool(pairs(), 2, async (pair) => {
    const start = process.hrtime.bigint();
    const outcome = await changeBundle(pair);
    const topology = readPlan(fullBundle(join(CHANGES, pair, 'new.yaml'))).cluster.topology;
    if ('refused' in outcome) return { pair, actions: [], topology, result: `skipped: ${outcome.refused}`, seconds: 0, problems: null };
    const problems = await provePair(pair, fullBundle(join(CHANGES, pair, 'old.yaml')), outcome.dir, fullBundle(join(CHANGES, pair, 'new.yaml')));
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    return { pair, actions: outcome.actions, topology, result: problems.length ? 'FAILED' : 'same state', seconds, problems };
  });
  for (const w of work) {
    results.push(w);
    t.diagnostic(`${w.pair.padEnd(28)} ${(w.actions.join(',') || '-').padEnd(24)} ${w.topology.padEnd(10)} ${w.result} ${w.seconds.toFixed(1)}s`);
    if (w.problems?.length) failures.push(`${w.pair}:\n  ${w.problems.join('\n').replace(/\n/g, '\n  ')}`);
  }
  assert.deepEqual(failures, []);
  if (process.env['CHANGE_PAIRS']) return;
  const run = results.filter((r) => !r.result.startsWith('skipped'));
  assert.ok(run.length >= 15, `only ${run.length} pair(s) ran; at least 15 must`);
  const actions = new Set(run.flatMap((r) => r.actions));
  // upgrade: release changes are upgrade bundles, proven by test/upgrade-fakehost.test.ts.
  for (const a of ['add', 'update', 'recreate', 'remove', 'restart']) assert.ok(actions.has(a), `no pair that ran has a change of action ${a}`);
  const topologies = new Set(run.map((r) => r.topology));
  for (const topo of ['standalone', 'cluster', 'ha-onprem']) assert.ok(topologies.has(topo), `no pair that ran is of topology ${topo}`);
});

test('a host installed from another base refuses the change bundle: exit 3 naming both plans, nothing changed', async (t) => {
  const outcome = await changeBundle('server-ip-change');
  if ('refused' in outcome) return t.skip(outcome.refused);
  // The cluster of pbx-ip-change's NEW (the PBX at another address): every record differs from
  // both sides of server-ip-change.
  const state = await copyOf(fullBundle(join(CHANGES, 'pbx-ip-change', 'new.yaml')), 'other-base');
  const change = (readPlan(outcome.dir) as { change?: { base: { planHash: string }; target: { planHash: string } } }).change!;
  for (const args of [['--yes'], ['--check']]) {
    const runs = await applyBundle(outcome.dir, state, { each: args });
    assert.ok(runs.length > 0);
    for (const r of runs) {
      assert.equal(r.code, 3, `${r.host} ${args.join(' ')}: ${r.stderr}`);
      assert.deepEqual([r.mutations, r.fsChanges], [[], []], r.host);
      for (const hash of [change.base.planHash, change.target.planHash]) assert.ok(r.stderr.includes(hash.slice(0, 12)), `${r.host} does not name plan ${hash}:\n${r.stderr}`);
    }
  }
});
