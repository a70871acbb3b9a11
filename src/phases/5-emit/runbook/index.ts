// Target "runbook": RUNBOOK.md, the procedure a person follows and signs off, phase by phase.
import { ARTIFACT_WHAT, REGISTRY_PASSWORD_LABEL, artifactFile, howToObtain } from '../../../model/artifacts.js';
import type { RenderedFile } from '../../../model/bundle.js';
import type { Plan, ProcedureItem, Topology } from '../../../model/plan.js';
import { secretView } from '../common/secrets.js';
import { template, type Templates } from '../common/templates.js';

const TOPOLOGY_TEXT: Record<Topology, string> = {
  standalone: 'standalone PBX (every command runs on its own host)',
  cluster: 'main PBX with cluster servers (every command runs on its own host)',
  'ha-onprem': 'three-node HA on premises (Pacemaker, DRBD, virtual IP)',
  'ha-aws': 'three-node HA on AWS (Elastic IP, shared EBS volume)',
};

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
  };
}

function runbookView(plan: Plan) {
  const secretText = (hostname: string) => {
    const host = plan.hosts.find((h) => h.hostname === hostname);
    // The registry password has its own paragraph (airgap/runbook); this is the IM token.
    const s = host?.preflight.secrets.find((x) => x.label !== REGISTRY_PASSWORD_LABEL);
    return s ? secretView(s.ref, s.label).refText : '';
  };
  const item = (it: ProcedureItem) => ({
    ...it,
    partial: `runbook/${it.kind}`,
    secretText: 'hostname' in it ? secretText(it.hostname) : '',
  });
  return {
    plan,
    topologyText: TOPOLOGY_TEXT[plan.cluster.topology],
    airgap: airgapRunbookView(plan),
    acceptedRisks: plan.acceptedRisks ?? [],
    procedure: plan.procedure.map((p, i) => ({ ...p, number: i + 1, items: p.items.map(item) })),
  };
}

/** Markdown from templates with conditional blocks leaves runs of blank lines; keep one. */
function squeezeBlankLines(s: string): string {
  return s.replace(/\n{3,}/g, '\n\n').replace(/\n+$/, '\n');
}

export function emitRunbook(plan: Plan, templates: Templates): RenderedFile[] {
  return [{ path: 'RUNBOOK.md', content: squeezeBlankLines(template(templates, 'runbook/RUNBOOK.md')(runbookView(plan))), mode: 0o644 }];
}
