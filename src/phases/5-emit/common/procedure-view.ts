// The runbook's view of the Plan: one procedure, two renderings. RUNBOOK.md and RUNBOOK.html both
// print this object (each with its own templates), so the two can never disagree on what to do.
import { ARTIFACT_WHAT, REGISTRY_PASSWORD_LABEL, artifactFile, howToObtain } from '../../../model/artifacts.js';
import type { Plan, PlanItem, ProcedureItem, Topology } from '../../../model/plan.js';
import { visible } from './helpers.js';
import { originLine, originView } from './origin.js';
import { perPlan } from './per-plan.js';
import { secretView } from './secrets.js';
import { topologyView } from './topology.js';

const TOPOLOGY_TEXT: Record<Topology, string> = {
  standalone: 'standalone PBX (every command runs on its own host)',
  cluster: 'main PBX with cluster servers (every command runs on its own host)',
  'ha-onprem': 'three-node HA on premises (Pacemaker, DRBD, virtual IP)',
  'ha-aws': 'three-node HA on AWS (Elastic IP, shared EBS volume)',
};

/** Where an item is done: on a host (a shell, a command to run) or in a web console by hand. */
export type ItemPlace = 'host' | 'portal';

const PLACE: Record<ProcedureItem['kind'], ItemPlace> = {
  'check-all': 'host',
  'run-host': 'host',
  'restart-host': 'host',
  'run-control': 'host',
  'aws-cli': 'host',
  'ha-operations': 'host',
  'upgrade-preflight': 'host',
  'upgrade-host': 'host',
  'upgrade-note': 'portal',
  'portal-wizard': 'portal',
  'portal-whitelist': 'portal',
  'portal-disable-defaults': 'portal',
  'portal-add-servers': 'portal',
  'portal-im-token': 'portal',
  'portal-dataflow-token': 'portal',
  'portal-verify': 'portal',
  'portal-call-recovery': 'portal',
  'portal-sbc': 'portal',
  'aws-console': 'portal',
  'change-host': 'host',
  'change-portal': 'portal',
  'change-manual': 'portal',
};

/** A change bundle's summary: what differs from the installed cluster and which items take the
 * service down (RUNBOOK.md and RUNBOOK.html open with it). Upgrade bundles print their own. */
export interface ChangeView {
  kind: 'change' | 'upgrade';
  /** The diff summary lines, then each change. */
  lines: string[];
  summary: { what: string; before: string; after: string }[];
  changes: { action: string; reason: string; hosts: string; detail: string; forces: string; manual: boolean }[];
  base: { specName: string; planHash: string };
  target: { specName: string; planHash: string };
  purge: boolean;
  /** Procedure item id → why the service is down during it. */
  downtime: Record<string, string>;
}

export function changeView(plan: Plan): ChangeView | null {
  const c = plan.change;
  if (!c) return null;
  const downtime: Record<string, string> = {};
  for (const p of plan.procedure) for (const it of p.items) if (it.kind === 'change-host' && it.downtime !== null) downtime[it.id] = it.downtime;
  return {
    kind: 'change',
    lines: c.summary,
    summary: [
      { what: 'spec', before: c.base.specName, after: c.target.specName },
      { what: 'plan hash', before: c.base.planHash, after: c.target.planHash },
    ],
    changes: c.changes.map((x) => ({ action: x.action, reason: x.reason, hosts: x.hosts.join(', '), detail: x.detail, forces: x.forces.join(', '), manual: x.manual })),
    base: { specName: c.base.specName, planHash: c.base.planHash },
    target: { specName: c.target.specName, planHash: c.target.planHash },
    purge: c.purge,
    downtime,
  };
}

/** The control-script revision the hosts' preflights check, and its commit when it names one
 * (`v22.x@51586c7`). */
function scriptsRevision(plan: Plan): { revision: string; commit: string | null } | null {
  const pins = plan.hosts.map((h) => h.preflight.scriptPins).find((p) => p !== null);
  if (!pins) return null;
  const at = /@([0-9a-f]{7,40})$/.exec(pins.revision);
  return { revision: pins.revision, commit: at ? at[1]! : null };
}

/** What the runbook says about artifacts, the registry and the mirror. */
function airgapRunbookView(plan: Plan) {
  const airgap = plan.airgap;
  const artifacts = airgap.artifacts;
  const hostsText = (hosts: string[]) => (hosts.length === plan.hosts.length && hosts.length > 1 ? 'every host' : hosts.join(', '));
  const reg = airgap.registry;
  return {
    artifactsDir: airgap.artifactsDir,
    bundled: artifacts.filter((a) => a.state === 'bundled').flatMap((a) => a.files.map((path) => ({ path, what: a.image ? `${ARTIFACT_WHAT[a.kind]}, ${a.image}` : ARTIFACT_WHAT[a.kind], hosts: hostsText(a.hosts) }))),
    missing: artifacts.flatMap((a) => a.missing.map((name) => ({ file: artifactFile(a, name), what: ARTIFACT_WHAT[a.kind], hosts: hostsText(a.hosts), how: howToObtain(a, name) }))),
    scriptsExternal: artifacts.some((a) => a.kind === 'vendor-script' && a.state !== 'bundled'),
    registry: reg ? { server: reg.server, username: reg.username, refText: secretView(reg.passwordRef, REGISTRY_PASSWORD_LABEL).refText } : null,
    mirror: airgap.registryMirror,
    localRegistry: airgap.localRegistry,
    scriptsRevision: scriptsRevision(plan),
  };
}

/** The view RUNBOOK.md and RUNBOOK.html print, built once per Plan. */
export const procedureView = perPlan(buildProcedureView);

function buildProcedureView(plan: Plan) {
  const byName = new Map<string, Plan['hosts'][number]>();
  for (const h of plan.hosts) if (!byName.has(h.hostname)) byName.set(h.hostname, h);
  const secretText = (hostname: string) => {
    const host = byName.get(hostname);
    // The registry password has its own paragraph (airgap/runbook); this is the IM token.
    const s = host?.preflight.secrets.find((x) => x.label !== REGISTRY_PASSWORD_LABEL);
    return s ? secretView(s.ref, s.label).refText : '';
  };
  const change = changeView(plan);
  const item = (it: PlanItem) => {
    const from = originView(plan, it.origin);
    return {
      ...it,
      from,
      /** The places as one line, `spec.yaml:9 pbx.host, spec.yaml:11 servers[0]`: RUNBOOK.md quotes
       * it with md whole (the separators need no quoting), one helper call for a thousand places. */
      fromLine: originLine(from),
      /** The places as RUNBOOK.html lists them: visible text, each with the separator after it. */
      fromShown: from.map((v, i) => ({ at: visible(v.at), path: visible(v.path), sep: i < from.length - 1 ? ', ' : '' })),
      partial: `runbook/${it.kind}`,
      htmlPartial: `runbook-html/${it.kind}.html`,
      place: PLACE[it.kind],
      downtime: change?.downtime[it.id] ?? null,
      secretText: 'hostname' in it ? secretText(it.hostname) : '',
      /** The secrets the item's host reads at run time (RUNBOOK.md says how to provide each). */
      hostSecrets: 'hostname' in it ? (byName.get(it.hostname)?.preflight.secrets ?? []) : [],
    };
  };
  return {
    plan,
    topologyText: TOPOLOGY_TEXT[plan.cluster.topology],
    topology: topologyView(plan),
    airgap: airgapRunbookView(plan),
    change,
    acceptedRisks: plan.acceptedRisks ?? [],
    procedure: plan.procedure.map((p, i) => ({ ...p, number: i + 1, items: p.items.map(item) })),
  };
}

export type ProcedureView = ReturnType<typeof procedureView>;
