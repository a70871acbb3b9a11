// The converge cycle of one bundle host on a fresh fake host: --check, --dry-run, run, run again,
// --check, then (when the host has restart steps) --only restart twice. Shared by the tests and
// `npm run fakehost`; cycleProblems() says what is not converged or not idempotent.
import { snapshotDiff, type RunResult } from './fakehost.js';
import { secretExposures } from './secrets.js';
import { DUMMY_TOKEN, expectedStageCalls, isQueryCall, setUpHost, type BundleHost, type HostSetup } from './bundle.js';

export interface CycleRun {
  args: string[];
  result: RunResult;
  /** Paths under the fake root this run added, removed or changed (its logs excepted). */
  fsChanges: string[];
}

export interface Cycle {
  host: BundleHost;
  setup: HostSetup;
  token: string;
  installSteps: string[]; // ids, in order
  restartSteps: string[];
  checkBefore: CycleRun;
  dryRun: CycleRun;
  run1: CycleRun & { reboots: number }; // converged through this many self-reboots
  run2: CycleRun;
  checkAfter: CycleRun;
  restart1: CycleRun | null; // null: the host has no restart steps
  restart2: CycleRun | null;
}

export async function runOn(setup: HostSetup, script: string, args: string[], env: Record<string, string> = {}): Promise<CycleRun> {
  const before = setup.fake.snapshot();
  const result = await setup.fake.run(script, args, { env: { ...setup.env, ...env } });
  return { args, result, fsChanges: snapshotDiff(before, setup.fake.snapshot()) };
}

/** A run that ends with "[step] rebooting" exits 6 before the host restarts; the fake reboot has
 * already happened, so the run is repeated, as the operator would once the host is back. The
 * runs are merged into one (codes of the last, logs and output of all). */
export async function converge(setup: HostSetup, script: string, args: string[], env: Record<string, string> = {}): Promise<CycleRun & { reboots: number }> {
  const before = setup.fake.snapshot();
  const parts: RunResult[] = [];
  for (let i = 0; i < 5; i++) {
    const r = await setup.fake.run(script, args, { env: { ...setup.env, ...env } });
    parts.push(r);
    // Exit 6: the host reboots (install.sh --help); anything else ends the run.
    if (r.code !== 6 || !/^\[[^\]]+\] rebooting:/m.test(r.stderr)) break;
  }
  const result: RunResult = {
    code: parts[parts.length - 1]!.code,
    stdout: parts.map((p) => p.stdout).join(''),
    stderr: parts.map((p) => p.stderr).join(''),
    mutations: parts.flatMap((p) => p.mutations),
    calls: parts.flatMap((p) => p.calls),
  };
  return { args, result, fsChanges: snapshotDiff(before, setup.fake.snapshot()), reboots: parts.length - 1 };
}

export async function runCycle(h: BundleHost, opts: { token?: string; parent?: string; offline?: boolean } = {}): Promise<Cycle> {
  const token = opts.token ?? DUMMY_TOKEN;
  const setup = setUpHost(h, { token, offline: opts.offline === true, ...(opts.parent !== undefined ? { parent: opts.parent } : {}) });
  const ids = (stage: string) => h.host.steps.filter((s) => s.stage === stage).map((s) => s.id);
  const run = (args: string[]) => runOn(setup, setup.script, args);
  try {
    // --yes stands for the operator confirming manual checkpoints (the scripts ask on a terminal).
    const checkBefore = await run(['--check']);
    const dryRun = await run(['--dry-run']);
    const run1 = await converge(setup, setup.script, ['--yes']);
    const run2 = await run(['--yes']);
    const checkAfter = await run(['--check']);
    const restartSteps = ids('restart');
    const restart1 = restartSteps.length ? await run(['--only', 'restart', '--yes']) : null;
    const restart2 = restartSteps.length ? await run(['--only', 'restart', '--yes']) : null;
    return { host: h, setup, token, installSteps: ids('install'), restartSteps, checkBefore, dryRun, run1, run2, checkAfter, restart1, restart2 };
  } catch (e) {
    setup.fake.dispose();
    throw e;
  }
}

/** Lines "[id] <word>" a run printed for each step id. */
export function stepReports(r: RunResult): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const m of r.stderr.matchAll(/^\[([^\]\n]+)\] (ok \(already\)|pending|would change|changing|changed|rebooting|FAILED)/gm)) {
    const list = out.get(m[1]!) ?? [];
    list.push(m[2]!);
    out.set(m[1]!, list);
  }
  return out;
}

/** Everything that keeps the host from being converged and idempotent; empty when all is well. */
export function cycleProblems(c: Cycle): string[] {
  const p: string[] = [];
  const quiet = (name: string, r: CycleRun) => {
    if (r.result.mutations.length) p.push(`${name} logged ${r.result.mutations.length} mutation(s): ${r.result.mutations.slice(0, 3).join(' | ')}`);
    if (r.fsChanges.length) p.push(`${name} changed files: ${r.fsChanges.slice(0, 5).join(', ')}`);
  };
  const code = (name: string, r: CycleRun, want: number) => {
    if (r.result.code !== want) p.push(`${name} exited ${r.result.code}, expected ${want}${lastLines(r.result.stderr)}`);
  };
  code('--check before', c.checkBefore, c.installSteps.length ? 2 : 0);
  quiet('--check before', c.checkBefore);
  code('--dry-run', c.dryRun, 0);
  quiet('--dry-run', c.dryRun);
  code('run 1', c.run1, 0);
  code('run 2', c.run2, 0);
  quiet('run 2', c.run2);
  const reports = stepReports(c.run2.result);
  const notAlready = c.installSteps.filter((id) => reports.get(id)?.join() !== 'ok (already)');
  if (notAlready.length) p.push(`run 2 did not report ok (already) for: ${notAlready.join(', ')}`);
  code('--check after', c.checkAfter, 0);
  quiet('--check after', c.checkAfter);
  if (c.restart1 && c.restart2) {
    code('--only restart', c.restart1, 0);
    code('--only restart again', c.restart2, 0);
    quiet('--only restart again', c.restart2);
  }
  p.push(...cycleExposures(c));
  return p;
}

/** Where the cycle exposed the secret it handed the host (terminal, log, files others can
 * read) or a database password a vendor script generated (files others can read). */
export function cycleExposures(c: Cycle): string[] {
  const runs: [string, RunResult][] = [
    ['--check before', c.checkBefore.result],
    ['--dry-run', c.dryRun.result],
    ['run 1', c.run1.result],
    ['run 2', c.run2.result],
    ['--check after', c.checkAfter.result],
  ];
  if (c.restart1) runs.push(['--only restart', c.restart1.result]);
  if (c.restart2) runs.push(['--only restart again', c.restart2.result]);
  return secretExposures(c.setup.fake, [c.token], { runs, skip: [c.host.plan.paths.data] }).map((e) => `secret exposed: ${e}`);
}

/** How the vendor calls of a stage differ from what plan.json documents; null when they match.
 * For step kinds the fake host does not know (expectedCalls), the known calls must appear in
 * order among the calls made. */
export function callMismatch(c: Cycle, stage: 'install' | 'restart'): string | null {
  const run = stage === 'install' ? c.run1 : c.restart1;
  if (!run) return null;
  // Only the steps that acted in this run: a step can find its work done by an earlier one
  // (the bundled Debian packages install what install_docker.sh would).
  const acted = new Set([...stepReports(run.result)].filter(([, r]) => r.includes('changing')).map(([id]) => id));
  const host = { ...c.host.host, steps: c.host.host.steps.filter((s) => acted.has(s.id)) };
  const want = expectedStageCalls(host, stage, c.token);
  const got = run.result.calls.map((call) => call.map((a) => a.toString('utf8'))).filter((c) => !isQueryCall(c));
  const fmt = (calls: string[][]) => calls.map((x) => JSON.stringify(x)).join('\n  ');
  if (want.unknownKinds.length) {
    // Only a subsequence can be asserted: the unknown steps' calls are interleaved.
    let i = 0;
    for (const g of got) if (i < want.calls.length && JSON.stringify(g) === JSON.stringify(want.calls[i])) i++;
    return i === want.calls.length ? null : `expected, in order, among the calls:\n  ${fmt(want.calls)}\ngot:\n  ${fmt(got)}`;
  }
  return JSON.stringify(got) === JSON.stringify(want.calls) ? null : `expected exactly:\n  ${fmt(want.calls)}\ngot:\n  ${fmt(got)}`;
}

function lastLines(text: string): string {
  const lines = text.trimEnd().split('\n').slice(-3);
  return lines.length && lines[0] ? `\n    ${lines.join('\n    ')}` : '';
}

/** One line per host for people: exit codes and mutation counts of each run (run 1 counts every
 * run it took, across self-reboots). */
export function summaryLine(c: Cycle): string {
  const r = (x: CycleRun) => `${x.result.code}/${x.result.mutations.length}`;
  return `${c.host.host.hostname} run1=${r(c.run1)} run2=${r(c.run2)} check-before=${c.checkBefore.result.code} check-after=${c.checkAfter.result.code}`;
}
