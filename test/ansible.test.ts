// The Ansible target (compile --ansible): every golden bundle's ansible/ passes
// `ansible-playbook --syntax-check` and `ansible-lint --profile production` with no finding;
// secrets never reach the inventory and every task handing one over is no_log; `pbxplan
// inventory` merges bundles; on fake hosts the playbook converges, a second run changes nothing,
// and --check reports exactly what install.sh --check reports pending. Skipped with a message
// when ansible-core or ansible-lint is missing, unless REQUIRE_ANSIBLE=1 (CI).
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { createToolchain, renderInventory, type Plan } from '../src/index.js';
import { ansibleProblems, hasAnsible, runAnsibleCycle } from './fakehost/ansible.js';
import { goldenBundles } from './fakehost/bundle.js';
import { spawnText } from './fakehost/fakehost.js';
import { FIXTURES, REPO } from './golden.js';

const bundles = goldenBundles(FIXTURES).filter((b) => existsSync(join(b.dir, 'ansible', 'site.yml')));
const tools = hasAnsible();
const skip = tools ? false : 'ansible-core or ansible-lint is not installed (apt-get install -y ansible-core ansible-lint)';

test('the Ansible tools are installed where REQUIRE_ANSIBLE=1', () => {
  assert.ok(tools || process.env['REQUIRE_ANSIBLE'] !== '1', 'ansible-playbook or ansible-lint is not installed but REQUIRE_ANSIBLE=1');
});

test('the standalone, cluster and HA golden bundles carry ansible/', () => {
  for (const name of ['standalone', 'cluster', 'ha-onprem', 'ha-aws']) assert.ok(bundles.some((b) => b.name === name), `${name} has no ansible/site.yml`);
});

/** The bundle's ansible/ alone in a fresh folder: nothing of the repository (no lint config) around it. */
function isolated(dir: string): { dir: string; done: () => void } {
  const tmp = mkdtempSync(join(tmpdir(), 'pbxplan-lint-'));
  cpSync(join(dir, 'ansible'), join(tmp, 'ansible'), { recursive: true });
  return { dir: join(tmp, 'ansible'), done: () => rmSync(tmp, { recursive: true, force: true }) };
}

interface Task {
  name?: string;
  block?: Task[];
  environment?: Record<string, string>;
  no_log?: boolean;
}

for (const b of bundles) {
  test(`${b.name}: no secret in the inventory; every task handed a secret is no_log`, () => {
    const plan = JSON.parse(readFileSync(join(b.dir, 'plan.json'), 'utf8')) as Plan;
    const inventory = readFileSync(join(b.dir, 'ansible', 'inventory.yml'), 'utf8');
    const refs = plan.hosts.flatMap((h) => h.preflight.secrets.map((s) => s.ref.env ?? s.ref.file!));
    for (const ref of refs) assert.ok(!inventory.includes(ref), `the inventory names the secret ${ref}`);
    const plays = parse(readFileSync(join(b.dir, 'ansible', 'site.yml'), 'utf8')) as { tasks: Task[] }[];
    const tasks = plays.flatMap((p) => p.tasks.flatMap((t) => [t, ...(t.block ?? [])]));
    const handed = tasks.filter((t) => t.environment);
    for (const t of handed) assert.equal(t.no_log, true, `${t.name} hands over ${Object.keys(t.environment!).join(', ')} without no_log`);
    const envRefs = plan.hosts.flatMap((h) => h.preflight.secrets.flatMap((s) => (s.ref.env ? [s.ref.env] : [])));
    for (const ref of envRefs) assert.ok(handed.some((t) => ref in t.environment!), `no task hands over ${ref}`);
  });
}

test('every step is one block named by its step id, probing and acting through install.sh', () => {
  const b = bundles.find((x) => x.name === 'cluster')!;
  const plan = JSON.parse(readFileSync(join(b.dir, 'plan.json'), 'utf8')) as Plan;
  const plays = parse(readFileSync(join(b.dir, 'ansible', 'site.yml'), 'utf8')) as { hosts: string | string[]; serial?: number; tasks: Task[] }[];
  const blocks = plays.flatMap((p) => p.tasks.filter((t) => t.block && t.name?.startsWith('[')).map((t) => t.name!));
  const steps = plan.hosts.flatMap((h) => h.steps.map((s) => `[${s.id}] ${s.title}`));
  assert.deepEqual([...blocks].sort(), [...steps].sort(), 'one block per step of every host');
  const restart = plays.find((p) => p.serial === 1)!;
  assert.deepEqual(restart.hosts, plan.procedure.find((ph) => ph.id === 'restart')!.items.map((i) => `${'hostname' in i ? i.hostname : ''}.${plan.cluster.name}`), 'restarts one host at a time in the documented order');
});

// The fake-host runs take minutes each and ansible-lint some 20 s per bundle, mostly one Python
// process at a time: they run at once, the longest first (the linting one bundle after another:
// a second ansible-lint waits for the first one's cache lock and times out).
describe('ansible: the fake-host runs, ansible-lint and the inventory, at once', { concurrency: 3 }, () => {
  // A few minutes each on a loaded machine; run at once, each takes longer: the timeout is a net
  // against a hang (each ansible-playbook run has its own, 10 minutes), not a measure.
  describe('the playbook on fake hosts', { concurrency: 3 }, () => {
    for (const name of ['ha-onprem', 'cluster', 'standalone']) {
      const b = bundles.find((x) => x.name === name);
      test(`${name} on fake hosts: --check = install.sh --check, run converges, run again changes nothing, --check none`, { skip: skip || (b ? false : 'no bundle'), timeout: 2_400_000 }, async () => {
        const c = await runAnsibleCycle(b!.dir);
        try {
          assert.deepEqual(ansibleProblems(c), []);
          // The comparison above must have had something to compare: fresh hosts have pending steps.
          assert.ok([...c.scriptPendingBefore.values()].some((p) => p.length > 0), 'install.sh --check reported nothing pending on fresh hosts');
          for (const [host, s] of Object.entries(c.run1.stats)) assert.equal(s.failures, 0, `run 1 failed on ${host}`);
        } finally {
          c.fake.dispose();
        }
      });
    }
  });

  describe('ansible-lint, one bundle at a time', { concurrency: 1 }, () => {
    for (const b of bundles) {
      test(`${b.name}: ansible-playbook --syntax-check and ansible-lint --profile production find nothing`, { skip }, async () => {
        const iso = isolated(b.dir);
        try {
          const env = { ...process.env, ANSIBLE_NOCOLOR: '1', NO_COLOR: '1', ANSIBLE_CONFIG: join(iso.dir, 'none.cfg') };
          const syntax = await spawnText('ansible-playbook', ['-i', 'inventory.yml', 'site.yml', '--syntax-check'], { cwd: iso.dir, env });
          assert.equal(syntax.status, 0, `syntax check failed:\n${syntax.stdout}${syntax.stderr}`);
          const lint = await spawnText('ansible-lint', ['--profile', 'production', '--nocolor', '-f', 'pep8', 'site.yml', 'inventory.yml'], { cwd: iso.dir, env });
          assert.equal(lint.status, 0, `ansible-lint found:\n${lint.stdout}${lint.stderr}`);
          assert.match(lint.stdout + lint.stderr, /Passed with production profile: 0 failure\(s\), 0 warning\(s\)/);
        } finally {
          iso.done();
        }
      });
    }
  });

  test('pbxplan inventory merges bundles: a group per cluster, role groups across them', { skip }, async () => {
    const out = mkdtempSync(join(tmpdir(), 'pbxplan-inventory-'));
    try {
      // Bundles as compile writes them (a checkout does not keep the modes manifest.json lists).
      const pbxplan = (...args: string[]) => spawnText(process.execPath, ['--import', 'tsx', join(REPO, 'src/cli/main.ts'), ...args]);
      const dirs = await Promise.all(
        ['cluster', 'ha-onprem', 'standalone'].map(async (n) => {
          const dir = join(out, n);
          const r = await pbxplan('compile', join(FIXTURES, n, 'spec.yaml'), '-o', dir, '--ansible', '--today', '2026-01-01');
          assert.equal(r.status, 0, r.stderr);
          return dir;
        }),
      );
      const file = join(out, 'all.yml');
      const cli = await pbxplan('inventory', ...dirs, '-o', file);
      assert.equal(cli.status, 0, cli.stderr);
      const plans = dirs.map((d) => JSON.parse(readFileSync(join(d, 'plan.json'), 'utf8')) as Plan);
      assert.equal(readFileSync(file, 'utf8'), renderInventory(plans, createToolchain().templates));
      const graph = await spawnText('ansible-inventory', ['-i', file, '--list'], { env: { ...process.env, ANSIBLE_NOCOLOR: '1' } });
      assert.equal(graph.status, 0, graph.stderr);
      const list = JSON.parse(graph.stdout) as Record<string, { hosts?: string[] }>;
      for (const p of plans) {
        const group = `cluster_${p.cluster.name.replace(/-/g, '_')}`;
        assert.deepEqual(list[group]?.hosts, p.hosts.map((h) => `${h.hostname}.${p.cluster.name}`), `${group} holds its cluster's hosts`);
      }
      const pbxHosts = plans.flatMap((p) => p.hosts.filter((h) => h.role === 'pbx').map((h) => `${h.hostname}.${p.cluster.name}`));
      assert.deepEqual(list['role_pbx']?.hosts, pbxHosts, 'role_pbx spans the clusters');
      assert.ok(pbxHosts.length >= 5);
      const again = await pbxplan('inventory', dirs[0]!, dirs[0]!, '-o', join(out, 'twice.yml'));
      assert.equal(again.status, 2);
      assert.match(again.stderr, /both cluster guide-cluster/);
      assert.ok(!existsSync(join(out, 'twice.yml')), 'nothing written on a refusal');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
