// A bundle applied to fake hosts kept across runs (state.ts) the way its runbook says: every
// item that names a host and its steps runs that host's install.sh, in the runbook's order
// (install steps with --yes; restart steps one by one with --only, as the runbook has them run
// across hosts; a change item's own --only where it gives one). The state-equivalence test of
// change bundles (test/change-fakehost.test.ts) is built on it: install OLD, apply the change
// bundle, compare the dump with a fresh install of NEW.
import { existsSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { bundleHosts, type BundleHost, type PlanLike } from './bundle.js';
import { converge, runOn } from './cycle.js';
import { applyPortalItem, isPortalItem } from './portal.js';
import { setUpStateHost } from './state.js';

interface ItemLike {
  kind: string;
  where?: string;
  hostname?: string;
  stepIds?: string[];
  only?: string | null;
}

export interface RunbookRun {
  host: string; // "portal" for the operator's portal work
  args: string[];
  /** The runbook item that asks for it. */
  item: string;
  /** A portal item: the operator does it (portal.ts). */
  portal?: ItemLike;
}

/** The host runs a bundle's runbook asks for, in its order. A host's install steps run once
 * (the first item naming them; later items of that host find them done), each restart step on
 * its own, a change item with its own --only; a host no item names runs last. */
export function runbookRuns(plan: PlanLike & { procedure?: { items: ItemLike[] }[] }, hosts: string[]): RunbookRun[] {
  const runs: RunbookRun[] = [];
  const installed = new Set<string>();
  const stageOf = new Map(plan.hosts.flatMap((h) => h.steps.map((s) => [`${h.hostname}\0${s.id}`, s.stage] as const)));
  for (const phase of plan.procedure ?? []) {
    for (const item of phase.items as (ItemLike & { id?: string })[]) {
      if (isPortalItem(item)) {
        runs.push({ host: 'portal', args: [], item: `${item.kind} ${item.id ?? ''}`.trim(), portal: item });
        continue;
      }
      const host = item.hostname;
      if (!host || !hosts.includes(host) || !item.stepIds) continue;
      const label = `${item.kind} ${item.id ?? ''}`.trim();
      if (item.only) {
        runs.push({ host, args: ['--only', item.only, '--yes'], item: label });
        continue;
      }
      const restarts = item.stepIds.filter((id) => stageOf.get(`${host}\0${id}`) === 'restart');
      if (restarts.length && restarts.length === item.stepIds.length) {
        // All of the host's restart steps in their order: one run of the stage does them.
        const all = plan.hosts.find((h) => h.hostname === host)!.steps.filter((s) => s.stage === 'restart').map((s) => s.id);
        if (all.join('\0') === restarts.join('\0')) runs.push({ host, args: ['--only', 'restart', '--yes'], item: label });
        else for (const id of restarts) runs.push({ host, args: ['--only', id, '--yes'], item: label });
        continue;
      }
      if (installed.has(host)) continue;
      installed.add(host);
      runs.push({ host, args: ['--yes'], item: label });
    }
  }
  for (const host of hosts) if (!installed.has(host) && !runs.some((r) => r.host === host)) runs.push({ host, args: ['--yes'], item: '(no runbook item)' });
  return runs;
}

export interface AppliedRun extends RunbookRun {
  code: number | null; // null: killed by a signal
  mutations: string[];
  fsChanges: string[];
  stderr: string;
}

/** The first address a fake root was set up with (its facts follow the latest bundle). */
function rootAddress(root: string): string | null {
  const f = join(root, '.fakehost', 'facts', 'addresses');
  if (!existsSync(f)) return null;
  return readFileSync(f, 'utf8').split(/[\s/]/)[0] || null;
}

/** A server renamed in place (same machine, same address, new name: its host name follows its
 * name) keeps its root: a bundle host with no root of its own takes over the root of a host the
 * bundle does not name that was set up at the same address. */
export function adoptRenamedRoots(hosts: BundleHost[], stateDir: string): { from: string; to: string }[] {
  if (!existsSync(stateDir)) return [];
  const named = new Set(hosts.map((h) => h.host.hostname));
  const moved: { from: string; to: string }[] = [];
  for (const h of hosts) {
    if (existsSync(join(stateDir, h.host.hostname))) continue;
    const old = readdirSync(stateDir).find((d) => !named.has(d) && existsSync(join(stateDir, d, '.fakehost')) && rootAddress(join(stateDir, d)) === h.host.privateIp);
    if (!old) continue;
    renameSync(join(stateDir, old), join(stateDir, h.host.hostname));
    moved.push({ from: old, to: h.host.hostname });
  }
  return moved;
}

export interface ApplyOptions {
  /** Instead of the runbook's runs: each host once with these arguments (--check), once per
   * --only the runbook gives it (a host the runbook has run with --only restart is checked with
   * --check --only restart: a plain --check leaves the restart stage out). */
  each?: string[];
  token?: string;
}

/** The --only scopes the runbook runs a host with: [null] when it runs the host whole. */
function onlyScopes(runs: RunbookRun[], host: string): (string | null)[] {
  const mine = runs.filter((r) => r.host === host);
  if (!mine.length || mine.some((r) => !r.args.includes('--only'))) return [null];
  return [...new Set(mine.map((r) => r.args[r.args.indexOf('--only') + 1]!))];
}

/** Applies a bundle to the hosts in stateDir, run by run, in the runbook's order. */
export async function applyBundle(bundleDir: string, stateDir: string, opts: ApplyOptions = {}): Promise<AppliedRun[]> {
  const hosts = bundleHosts(bundleDir);
  adoptRenamedRoots(hosts, stateDir);
  const byName = new Map(hosts.map((h) => [h.host.hostname, h]));
  const plan = hosts[0]?.plan;
  if (!plan) return [];
  const runbook = runbookRuns(plan as PlanLike & { procedure?: { items: ItemLike[] }[] }, hosts.map((h) => h.host.hostname));
  const runs: RunbookRun[] = opts.each
    ? hosts.flatMap((h) => onlyScopes(runbook, h.host.hostname).map((only) => ({ host: h.host.hostname, args: only ? [...opts.each!, '--only', only] : opts.each!, item: 'each host' })))
    : runbook;
  const out: AppliedRun[] = [];
  for (const run of runs) {
    if (run.portal) {
      let problems: string[];
      try {
        problems = applyPortalItem(stateDir, run.portal as Parameters<typeof applyPortalItem>[1]);
      } catch (e) {
        problems = [(e as Error).message];
      }
      out.push({ ...run, code: problems.length ? 1 : 0, mutations: [], fsChanges: [], stderr: problems.join('\n') });
      continue;
    }
    const setup = setUpStateHost(byName.get(run.host)!, stateDir, opts.token !== undefined ? { token: opts.token } : {});
    const r = opts.each ? await runOn(setup, setup.script, run.args) : await converge(setup, setup.script, run.args);
    out.push({ ...run, code: r.result.code, mutations: r.result.mutations, fsChanges: r.fsChanges, stderr: r.result.stderr });
  }
  return out;
}

/** The host of a dump line: "<host>", or "<control>@<address>" for a host an HA control node
 * reaches over SSH. */
export function lineHost(line: string): { name: string; address: string | null } {
  const [name, address] = line.slice(0, line.indexOf(' ')).split('@');
  return { name: name!, address: address ?? null };
}

/** What a retired host must not keep: a container, a trusted source (either layer); its
 * whitelist and server entries are portal lines, compared with NEW's portal like any host's. */
export function retiredLeftovers(lines: string[]): string[] {
  return lines.filter((l) => / container /.test(l) || / firewall (permanent|runtime) trusted (source|rich-rule) /.test(l));
}

export interface StateComparison {
  /** In the fresh install of NEW, not after the change. */
  missing: string[];
  /** After the change, not in the fresh install of NEW (hosts NEW has). */
  extra: string[];
  /** Containers and trust a host NEW no longer has kept after the change. */
  retired: string[];
}

/** Compares the dump after a change with the dump of NEW installed fresh: every host NEW has
 * (by name; a host reached over SSH also by address) must be identical; a host NEW no longer
 * has must keep no container and no trust. */
export function compareStates(changed: string[], fresh: string[], newHosts: string[], newAddresses: string[] = []): StateComparison {
  const names = new Set([...newHosts, 'portal']);
  const addresses = new Set(newAddresses);
  const kept = (l: string) => {
    const h = lineHost(l);
    return names.has(h.name) && (h.address === null || addresses.has(h.address));
  };
  const ours = changed.filter(kept);
  const freshSet = new Set(fresh);
  const oursSet = new Set(ours);
  return {
    missing: fresh.filter((l) => !oursSet.has(l)),
    extra: ours.filter((l) => !freshSet.has(l)),
    retired: retiredLeftovers(changed.filter((l) => !kept(l))),
  };
}

export function sameState(c: StateComparison): boolean {
  return !c.missing.length && !c.extra.length && !c.retired.length;
}

/** The difference for people: what the change left out (-), added (+), kept on a retired host (!). */
export function formatComparison(c: StateComparison): string {
  return [...c.missing.map((l) => `- ${l}`), ...c.extra.map((l) => `+ ${l}`), ...c.retired.map((l) => `! ${l}`)].join('\n');
}
