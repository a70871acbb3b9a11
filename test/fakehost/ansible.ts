// The bundle's Ansible playbook (compile --ansible) run against its fake hosts. Test-only: each
// inventory host gets a fake root of its own (setUpHost) and is reached with Ansible's local
// connection; a second inventory, given after the bundle's own, points it there:
//   - ansible_python_interpreter is a wrapper that runs Python (and so every module and the
//     install.sh it starts) in the fake host's environment (PBXPLAN_ROOT, the stand-ins' PATH);
//   - pbxplan_bundle_dir is a folder inside the fake root; become is off (no sudo needed).
// The bundle's inventory.yml and site.yml are used as they are.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { bundleHosts, copyBundleWithStandIns, DUMMY_TOKEN, setUpHost, type BundleHost, type HostSetup } from './bundle.js';

/** Whether ansible-playbook (and ansible-lint) are installed; CI insists (REQUIRE_ANSIBLE=1). */
export function hasAnsible(): boolean {
  const which = (tool: string) => (process.env['PATH'] ?? '').split(':').some((d) => d && existsSync(join(d, tool)));
  return which('ansible-playbook') && which('ansible-lint');
}

export interface AnsibleHost {
  bundle: BundleHost;
  setup: HostSetup;
  /** The inventory name (hostname.cluster). */
  name: string;
  /** Where the play copies this host's bundle files (inside the fake root). */
  bundleDir: string;
}

/** One task result of the json callback. */
interface TaskHostResult {
  changed?: boolean;
  failed?: boolean;
  skipped?: boolean;
}

export interface PlayRecap {
  ok: number;
  changed: number;
  unreachable: number;
  failures: number;
  skipped: number;
  rescued: number;
  ignored: number;
}

export interface AnsibleRun {
  code: number | null;
  /** Per inventory host: the recap Ansible printed. */
  stats: Record<string, PlayRecap>;
  /** Per inventory host: the step ids whose probe (check mode) or action reported a change. */
  changedSteps: Map<string, string[]>;
  /** Per inventory host: tasks that failed, by name. */
  failedTasks: Map<string, string[]>;
  stderr: string;
  raw: string;
}

export class AnsibleFake {
  readonly control: string;
  readonly hosts: AnsibleHost[];
  private readonly env: Record<string, string>;

  constructor(bundleDir: string, opts: { token?: string; parent?: string } = {}) {
    this.control = mkdtempSync(join(opts.parent ?? tmpdir(), 'pbxplan-ansible-'));
    const token = opts.token ?? DUMMY_TOKEN;
    this.hosts = [];
    try {
      copyBundleWithStandIns(bundleDir, join(this.control, 'bundle'));
      const env: Record<string, string> = {};
      for (const b of bundleHosts(bundleDir)) {
        const setup = setUpHost(b, { token });
        const name = `${b.host.hostname}.${b.plan.cluster.name}`;
        this.hosts.push({ bundle: b, setup, name, bundleDir: setup.fake.hostPath(`/opt/pbxplan/${b.plan.cluster.name}`) });
        Object.assign(env, setup.env);
      }
      this.env = env;
      this.writeInventory();
      writeFileSync(join(this.control, 'ansible.cfg'), '[defaults]\nretry_files_enabled = False\n[connection]\npipelining = True\n');
    } catch (e) {
      this.dispose();
      throw e;
    }
  }

  get site(): string {
    return join(this.control, 'bundle', 'ansible', 'site.yml');
  }

  get inventory(): string {
    return join(this.control, 'bundle', 'ansible', 'inventory.yml');
  }

  /** The checkpoint ids of site.yml (each play's pbxplan_checkpoint): the runs confirm them all. */
  checkpoints(): string[] {
    const plays = parse(readFileSync(this.site, 'utf8')) as { vars?: { pbxplan_checkpoint?: string } }[];
    return plays.flatMap((p) => (p.vars?.pbxplan_checkpoint ? [p.vars.pbxplan_checkpoint] : []));
  }

  /** The fake inventory: how each host is reached, given after the bundle's own. */
  private writeInventory(): void {
    const hosts: Record<string, Record<string, unknown>> = {};
    for (const h of this.hosts) {
      const fake = h.setup.fake;
      const python = join(fake.dir, 'ansible-python');
      const env = fake.env();
      // Python (so every module, and the install.sh a module starts) in the fake host's
      // environment alone, plus the secrets the play hands over with `environment:`.
      const keep = h.bundle.host.preflight.secrets.flatMap((s) => (s.ref.env ? [s.ref.env] : []));
      const words = Object.entries(env).map(([k, v]) => `${k}='${v.replace(/'/g, `'\\''`)}'`);
      const passed = keep.map((k) => `\${${k}+"${k}=$${k}"}`);
      writeFileSync(python, `#!/bin/sh\nexec /usr/bin/env -i ${words.join(' ')} ${passed.join(' ')} ${pythonPath()} "$@"\n`);
      chmodSync(python, 0o755);
      hosts[h.name] = {
        ansible_connection: 'local',
        ansible_python_interpreter: python,
        ansible_become: false,
        pbxplan_bundle_dir: h.bundleDir,
        pbxplan_reboot_delay: 0,
        pbxplan_reboot_poll: 1,
      };
    }
    writeFileSync(join(this.control, 'fake-hosts.yml'), JSON.stringify({ all: { hosts } }, null, 2) + '\n');
  }

  /** Runs site.yml (with --check when asked), every checkpoint confirmed. */
  run(opts: { check?: boolean; extra?: string[] } = {}): Promise<AnsibleRun> {
    const args = ['-i', this.inventory, '-i', join(this.control, 'fake-hosts.yml'), this.site, '-e', `pbxplan_confirmed=${this.checkpoints().join(',')}`];
    if (opts.check) args.push('--check');
    args.push(...(opts.extra ?? []));
    const env = {
      ...process.env,
      ...this.env,
      ANSIBLE_CONFIG: join(this.control, 'ansible.cfg'),
      ANSIBLE_STDOUT_CALLBACK: 'json',
      ANSIBLE_LOCAL_TEMP: join(this.control, 'tmp-local'),
      ANSIBLE_REMOTE_TEMP: join(this.control, 'tmp-remote'),
      ANSIBLE_NOCOLOR: '1',
      ANSIBLE_FORCE_COLOR: '0',
    };
    return new Promise((resolve, reject) => {
      const child = spawn('ansible-playbook', args, { cwd: this.control, env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 600_000 });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (d: Buffer) => out.push(d));
      child.stderr.on('data', (d: Buffer) => err.push(d));
      child.on('error', reject);
      child.on('close', (code) => {
        const raw = Buffer.concat(out).toString('utf8');
        const stderr = Buffer.concat(err).toString('utf8');
        try {
          resolve({ code, stderr, raw, ...readJsonResult(raw, opts.check === true) });
        } catch (e) {
          reject(new Error(`ansible-playbook printed no JSON result (exit ${code}): ${(e as Error).message}\n${stderr}${raw.slice(0, 2000)}`));
        }
      });
    });
  }

  dispose(): void {
    for (const h of this.hosts) h.setup.fake.dispose();
    rmSync(this.control, { recursive: true, force: true });
  }
}

function pythonPath(): string {
  for (const p of ['/usr/bin/python3', '/usr/local/bin/python3']) if (existsSync(p)) return p;
  return 'python3';
}

/** Step task names: "[ID] is it done? …" (the probe) and "[ID] do it…" (the action). */
const PROBE = /^\[([^\]]+)\] is it done\?/;
const ACTION = /^\[([^\]]+)\] do it/;

function readJsonResult(raw: string, check: boolean): Pick<AnsibleRun, 'stats' | 'changedSteps' | 'failedTasks'> {
  const doc = JSON.parse(raw.slice(raw.indexOf('{'))) as {
    plays: { tasks: { task: { name: string }; hosts: Record<string, TaskHostResult> }[] }[];
    stats: Record<string, PlayRecap>;
  };
  const changedSteps = new Map<string, string[]>();
  const failedTasks = new Map<string, string[]>();
  for (const play of doc.plays) {
    for (const t of play.tasks) {
      const m = (check ? PROBE : ACTION).exec(t.task.name);
      for (const [host, r] of Object.entries(t.hosts)) {
        if (r.failed) failedTasks.set(host, [...(failedTasks.get(host) ?? []), t.task.name]);
        if (m && r.changed) changedSteps.set(host, [...(changedSteps.get(host) ?? []), m[1]!]);
      }
    }
  }
  return { stats: doc.stats, changedSteps, failedTasks };
}

/** The recap lines, as ansible-playbook prints them. */
export function recapLines(run: AnsibleRun): string[] {
  return Object.entries(run.stats).map(
    ([host, s]) => `${host.padEnd(32)} : ok=${s.ok} changed=${s.changed} unreachable=${s.unreachable} failed=${s.failures} skipped=${s.skipped} rescued=${s.rescued} ignored=${s.ignored}`,
  );
}

/** The steps install.sh --check reports pending on each host (and --check --only restart, the
 * stage the playbook runs as well), read from the script's own report. */
export async function scriptPending(h: AnsibleHost): Promise<string[]> {
  const script = join(h.bundleDir, h.bundle.host.script);
  const stages = [['--check'], ...(h.bundle.host.steps.some((s) => s.stage === 'restart') ? [['--check', '--only', 'restart']] : [])];
  const out: string[] = [];
  for (const args of stages) {
    const r = await h.setup.fake.run(script, [...args, '--report', 'json'], { env: h.setup.env });
    const line = r.stdout.split('\n').find((l) => l.startsWith('PBXPLAN-RESULT '));
    if (!line) throw new Error(`${h.name}: install.sh ${args.join(' ')} printed no result (exit ${r.code})\n${r.stderr}`);
    out.push(...(JSON.parse(line.slice('PBXPLAN-RESULT '.length)) as { pending: string[] }).pending);
  }
  return out;
}

export interface AnsibleCycle {
  fake: AnsibleFake;
  checkBefore: AnsibleRun;
  /** Per inventory host: what install.sh --check reported pending after the --check run. */
  scriptPendingBefore: Map<string, string[]>;
  run1: AnsibleRun;
  run2: AnsibleRun;
  checkAfter: AnsibleRun;
}

/** On fresh fake hosts: --check, install.sh --check on every host, run, run again, --check. */
export async function runAnsibleCycle(bundleDir: string, opts: { token?: string; parent?: string } = {}): Promise<AnsibleCycle> {
  const fake = new AnsibleFake(bundleDir, opts);
  try {
    const checkBefore = await fake.run({ check: true });
    const scriptPendingBefore = new Map<string, string[]>();
    for (const h of fake.hosts) scriptPendingBefore.set(h.name, await scriptPending(h));
    const run1 = await fake.run();
    const run2 = await fake.run();
    const checkAfter = await fake.run({ check: true });
    return { fake, checkBefore, scriptPendingBefore, run1, run2, checkAfter };
  } catch (e) {
    fake.dispose();
    throw e;
  }
}

/** What keeps the playbook from converging idempotently on the fake hosts; empty when all is well. */
export function ansibleProblems(c: AnsibleCycle): string[] {
  const p: string[] = [];
  const failed = (what: string, r: AnsibleRun) => {
    if (r.code !== 0) p.push(`${what}: ansible-playbook exited ${r.code}${[...r.failedTasks].map(([h, t]) => `\n    ${h}: ${t.join('; ')}`).join('')}`);
    for (const [host, s] of Object.entries(r.stats)) if (s.failures || s.unreachable) p.push(`${what}: ${host} failed=${s.failures} unreachable=${s.unreachable}`);
  };
  failed('--check before', c.checkBefore);
  failed('run 1', c.run1);
  failed('run 2', c.run2);
  failed('--check after', c.checkAfter);
  for (const h of c.fake.hosts) {
    const ansible = (c.checkBefore.changedSteps.get(h.name) ?? []).join(',');
    const script = (c.scriptPendingBefore.get(h.name) ?? []).join(',');
    if (ansible !== script) p.push(`${h.name}: --check reported [${ansible}] pending, install.sh --check [${script}]`);
    const again = c.run2.stats[h.name];
    if (!again) p.push(`run 2: no recap for ${h.name}`);
    else if (again.changed !== 0) p.push(`run 2: ${h.name} changed=${again.changed}`);
    const after = c.checkAfter.changedSteps.get(h.name) ?? [];
    if (after.length) p.push(`--check after: ${h.name} still reports [${after.join(',')}] pending`);
  }
  return p;
}
