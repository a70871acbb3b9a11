// A Plan read as the facts a change can touch: per host its deployments (the vendor `run` it
// gets, arguments as flags, images and registry login set apart), the firewall trust it holds,
// and the portal's whitelist and server entries. Both sides of a diff are read the same way.
import type { HostRole } from '../model/hosts.js';
import type { Plan, PlanHost, PortalServer, VendorCall } from '../model/plan.js';
import type { SecretRef } from '../model/spec.js';

/** A vendor `run` as data: its flags (image and registry flags left out) and its secret references. */
export interface Deployment {
  script: string;
  /** flag → value ('' for a flag without a value), images and registry login excluded. */
  flags: Map<string, string>;
  secrets: { label: string; ref: SecretRef }[];
  stepId: string;
}

export interface HostFacts {
  hostname: string;
  role: HostRole;
  serverName: string | null;
  privateIp: string;
  publicIp: string | null;
  /** Its place in the spec (servers[3], pbx.host, pbx.nodes[1]), read from the plan's origins. */
  path: string | null;
  deployments: Deployment[];
  /** What the preflight checks (hardware, account), as one comparable string. */
  requirements: string;
}

export interface TrustFact {
  host: string; // the host whose firewall trusts it (the main PBX)
  address: string;
  path: string; // origin
}

export interface PlanFacts {
  plan: Plan;
  hosts: HostFacts[];
  trust: TrustFact[];
  whitelist: { ip: string; host: string }[];
  whitelistExpires: string | null;
  portal: PortalServer[];
  ha: boolean;
}

/** Flags whose value is an image or a registry login: image changes are upgrades, logins only matter at pull time. */
const IMAGE_FLAGS = new Set(['-i', '-d']);
const REGISTRY_FLAGS = new Set(['-U', '-P', '-R']);

const HOST_PATH = /^(servers\[[0-9]+\]|pbx\.host|pbx\.nodes\[[0-9]+\])$/;

function flagsOf(call: VendorCall): Map<string, string> {
  const secretAt = new Set(call.secrets.map((s) => s.index));
  const flags = new Map<string, string>();
  for (let i = 0; i < call.argv.length; i++) {
    const flag = call.argv[i]!;
    const next = call.argv[i + 1];
    const value = next !== undefined && !next.startsWith('-') ? next : null;
    if (value !== null) i++;
    if (IMAGE_FLAGS.has(flag) || REGISTRY_FLAGS.has(flag)) continue;
    if (value !== null && secretAt.has(i)) continue; // compared as references, below
    flags.set(flag, value ?? '');
  }
  return flags;
}

function deployment(stepId: string, call: VendorCall): Deployment {
  return { script: call.script, flags: flagsOf(call), secrets: call.secrets.map((s) => ({ label: s.label, ref: s.ref })), stepId };
}

/** The deployments of a host: its own vendor runs, or (HA) the control node's runs that target it. */
function deploymentsOf(plan: Plan, host: PlanHost): Deployment[] {
  const out: Deployment[] = [];
  for (const step of host.steps) {
    const run = step.calls.find((c) => c.purpose === 'action');
    if (step.kind === 'vendor-run' && run) out.push(deployment(step.id, run));
  }
  for (const control of plan.hosts) {
    for (const step of control.steps) {
      const run = step.calls.find((c) => c.purpose === 'action');
      if (step.kind === 'ha-extend' && run && step.targets.includes(host.privateIp)) {
        const d = deployment(step.id, run);
        // One sbc.sh run deploys every SBC (-a LIST): membership is compared as hosts, not as this flag.
        if (step.targets.length > 1) d.flags.delete('-a');
        out.push(d);
      }
    }
  }
  return out.sort((a, b) => (a.script < b.script ? -1 : a.script > b.script ? 1 : 0));
}

/** Where the host is in the spec: an origin of its own steps, of the step that reaches it over SSH,
 * or (one run for several hosts) the origin at its position among the run's targets. */
function pathOf(plan: Plan, host: PlanHost): string | null {
  for (const step of host.steps) for (const o of step.origin) if (HOST_PATH.test(o.path)) return o.path;
  for (const control of plan.hosts) {
    for (const step of control.steps) {
      if (step.kind === 'ssh-access' && step.target === host.hostname) {
        const o = step.origin.find((x) => HOST_PATH.test(x.path));
        if (o) return o.path;
      }
      if (step.kind === 'ha-extend' && step.targets.includes(host.privateIp)) {
        const paths = step.origin.filter((x) => HOST_PATH.test(x.path));
        const at = paths[step.targets.indexOf(host.privateIp)] ?? paths[0];
        if (at) return at.path;
      }
    }
  }
  return null;
}

function requirementsOf(host: PlanHost): string {
  const p = host.preflight;
  return JSON.stringify([p.cpus, p.memoryGb, p.diskGb, p.account, p.dataDisk, p.hostname]);
}

export function factsOf(plan: Plan): PlanFacts {
  const hosts = plan.hosts.map(
    (h): HostFacts => ({
      hostname: h.hostname,
      role: h.role,
      serverName: h.serverName,
      privateIp: h.privateIp,
      publicIp: h.publicIp,
      path: pathOf(plan, h),
      deployments: deploymentsOf(plan, h),
      requirements: requirementsOf(h),
    }),
  );
  const trust: TrustFact[] = [];
  for (const h of plan.hosts) for (const s of h.steps) if (s.kind === 'trust-source') trust.push({ host: h.hostname, address: s.address, path: s.origin[0]?.path ?? 'firewall' });
  const items = plan.procedure.flatMap((p) => p.items);
  const whitelist = items.flatMap((i) => (i.kind === 'portal-whitelist' ? i.entries.map((e) => ({ ip: e.ip, host: e.host })) : []));
  const portal = items.flatMap((i) => (i.kind === 'portal-add-servers' ? i.servers : []));
  const ha = plan.cluster.topology === 'ha-onprem' || plan.cluster.topology === 'ha-aws';
  return { plan, hosts, trust, whitelist, whitelistExpires: plan.whitelistExpires, portal, ha };
}
