// Pass 4, finish: the Plan. Each host's steps in their final order (the air-gap additions around
// the topology's own), its preflight (scripts and secrets follow from the steps' calls), every step
// described for reviewers, then the runbook procedure built from those final hosts.
import type { Plan, PlanHost, Preflight } from '../../model/plan.js';
import type { Spec } from '../../model/spec.js';
import type { AirgapPass, HostAdditions } from './airgap.js';
import type { BasePlan } from './base.js';
import { controlScripts, stepSecrets } from './calls.js';
import { described } from './describe.js';
import type { DraftHost, TopologyPass } from './topology/common.js';
import { withItemOrigins } from './item-origin.js';
import { procedureHa } from './topology/ha.js';
import { procedureSingle } from './topology/single.js';

function finalHost(h: DraftHost, add: HostAdditions): PlanHost {
  // Docker must be there before images load and before daemon.json matters: after the step
  // that installs it, or after the bundled packages when the topology has no such step.
  const own = h.steps;
  const docker = own.findIndex((s) => s.kind === 'docker');
  const drafts = docker === -1 ? [...add.before, ...add.after, ...own] : [...add.before, ...own.slice(0, docker + 1), ...add.after, ...own.slice(docker + 1)];
  const bundled = new Set(add.bundledScripts);
  const { addresses, cpus, memoryGb, diskGb, haScripts, ...rest } = h.preflight;
  const preflight: Preflight = {
    addresses,
    cpus,
    memoryGb,
    diskGb,
    vendorScripts: controlScripts(own).filter((s) => !bundled.has(s)),
    secrets: stepSecrets(drafts),
    haScripts: add.haPackage ? [] : haScripts,
    ...rest,
  };
  const { origin: _origin, steps: _steps, preflight: _preflight, ...fields } = h;
  return { ...fields, preflight, steps: drafts.map(described) };
}

export function finish(spec: Spec, base: BasePlan, topology: TopologyPass, air: AirgapPass): Plan {
  const hosts = topology.hosts.map((h) => finalHost(h, air.additions.get(h.hostname)!));
  const drafted = topology.cluster.topology === 'ha-onprem' || topology.cluster.topology === 'ha-aws' ? procedureHa(spec, base, hosts) : procedureSingle(spec, base, hosts);
  const procedure = withItemOrigins(drafted, base, topology.hosts);
  const { head } = base;
  return {
    formatVersion: head.formatVersion,
    generatedBy: head.generatedBy,
    specSha256: head.specSha256,
    specName: head.specName,
    cluster: topology.cluster,
    release: head.release,
    paths: head.paths,
    whitelistExpires: head.whitelistExpires,
    hosts,
    procedure,
    decisions: [...topology.decisions, ...air.decisions],
    airgap: air.airgap,
  };
}
