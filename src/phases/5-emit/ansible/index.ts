// Target "ansible" (only with `compile --ansible`): ansible/inventory.yml and ansible/site.yml,
// the runbook's procedure as plays. Every step stays the host's own install.sh: a task block per
// step probes it with `install.sh --check --only STEP` and acts with `install.sh --only STEP`, so
// there is one implementation of every guard. This module shapes the view (inventory names,
// plays in procedure order, which items are manual checkpoints); the templates only print it.
import type { RenderedFile } from '../../../model/bundle.js';
import type { HostStep, Plan, PlanHost, ProcedureItem } from '../../../model/plan.js';
import { hostBundleFiles } from '../common/bundle-files.js';
import { secretView } from '../common/secrets.js';
import { template, type Templates } from '../common/templates.js';

/** The inventory name of a host: its host name qualified by its cluster, so that the inventories
 * of many sites merge into one without two hosts of one name (pbxplan inventory). */
export const inventoryName = (plan: Plan, host: PlanHost) => `${host.hostname}.${plan.cluster.name}`;

/** An Ansible group name: letters, digits and underscores (Ansible warns about others). */
const groupName = (prefix: string, name: string) => `${prefix}_${name.replace(/[^A-Za-z0-9_]/g, '_')}`;
export const clusterGroup = (plan: Plan) => groupName('cluster', plan.cluster.name);
const roleGroup = (role: string) => groupName('role', role);

/** Text as lines of at most `width` characters (a folded YAML scalar keeps lines short). */
function wrap(text: string, width = 96): string[] {
  const lines: string[] = [];
  for (const word of text.split(' ')) {
    const last = lines[lines.length - 1];
    if (last !== undefined && last.length + 1 + word.length <= width) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines;
}

/** Where the play puts a host's bundle files on the host (the inventory may say otherwise). */
const BUNDLE_ROOT = '/opt/pbxplan';

function inventoryHostView(plan: Plan, host: PlanHost) {
  const vars: { key: string; value: string }[] = [];
  const add = (key: string, value: string | null | undefined) => {
    if (value !== null && value !== undefined) vars.push({ key, value });
  };
  add('ansible_host', host.privateIp);
  add('ansible_user', plan.cluster.sshUser ?? host.haAccount);
  add('pbxplan_hostname', host.hostname);
  add('pbxplan_role', host.role);
  add('pbxplan_server_name', host.serverName);
  add('pbxplan_private_ip', host.privateIp);
  add('pbxplan_public_ip', host.publicIp);
  add('pbxplan_deployed_from', host.deployedFrom);
  add('pbxplan_script', host.script);
  return { name: inventoryName(plan, host), vars, files: hostBundleFiles(plan, host), steps: host.steps.map((s) => s.id) };
}

function clusterView(plan: Plan) {
  const roles = [...new Set(plan.hosts.map((h) => h.role))];
  return {
    plan,
    group: clusterGroup(plan),
    bundleDir: `${BUNDLE_ROOT}/${plan.cluster.name}`,
    sshUser: plan.cluster.sshUser ?? null,
    hosts: plan.hosts.map((h) => inventoryHostView(plan, h)),
    roles: roles.map((role) => ({ group: roleGroup(role), hosts: plan.hosts.filter((h) => h.role === role).map((h) => inventoryName(plan, h)) })),
  };
}

/** One inventory for the plans of one or more bundles: a group per cluster, a group per role. */
export function renderInventory(plans: readonly Plan[], templates: Templates): string {
  const clusters = plans.map(clusterView);
  const roleNames = [...new Set(clusters.flatMap((c) => c.roles.map((r) => r.group)))].sort();
  const roles = roleNames.map((group) => ({ group, hosts: clusters.flatMap((c) => c.roles.filter((r) => r.group === group).flatMap((r) => r.hosts)) }));
  return template(templates, 'ansible/inventory.yml')({ clusters, roles, generatedBy: plans[0]?.generatedBy ?? '' });
}

// ---- site.yml -------------------------------------------------------------------------------

/** Procedure items a host play does; the others are manual (a web console, an AWS command) and
 * become checkpoints; the operations appendix is reference, not work. */
const AUTOMATED = new Set<ProcedureItem['kind']>(['check-all', 'run-host', 'run-control', 'restart-host']);
const REFERENCE = new Set<ProcedureItem['kind']>(['ha-operations']);

function stepView(plan: Plan, host: PlanHost, step: HostStep, only: boolean) {
  const secrets = step.calls
    .filter((c) => c.purpose !== 'probe')
    .flatMap((c) => c.secrets)
    .map((x) => secretView(x.ref, x.label));
  const unique = [...new Map(secrets.map((s) => [`${s.kind}:${s.ref}`, s])).values()];
  return {
    id: step.id,
    name: `[${step.id}] ${step.title}`,
    probe: `[${step.id}] is it done? (install.sh --check --only ${step.id})`,
    apply: `[${step.id}] ${step.kind === 'reboot-self' ? 'do it, the host reboots' : 'do it'} (install.sh --only ${step.id})`,
    tags: [`stage-${step.stage}`, `step-${step.id}`],
    /** The block runs only on this host (plays of several hosts: the restarts). */
    when: only ? null : inventoryName(plan, host),
    env: unique
      .filter((s) => s.kind === 'env')
      .map((s) => ({
        ...s,
        check: `[${step.id}] the ${s.label} is at hand`,
        hint: wrap(`${step.id} needs the ${s.label}: export ${s.ref} on the control node, or set pbxplan_secrets.${s.ref} in an Ansible Vault file (-e @FILE --ask-vault-pass)`),
        // A Jinja expression of our own (the name is an upper-case variable name, spec pattern).
        value: `{{ pbxplan_secrets['${s.ref}'] | default(lookup('ansible.builtin.env', '${s.ref}')) }}`,
      })),
    files: unique.filter((s) => s.kind === 'file'),
    secret: unique.length > 0,
    reboots: step.kind === 'reboot-self',
    waitName: `[${step.id}] wait until ${host.hostname} is back`,
    backName: `[${step.id}] ${host.hostname} came back (install.sh --check --only ${step.id})`,
  };
}

type Play =
  | { kind: 'prepare'; id: string }
  | { kind: 'hosts'; id: string; title: string; hosts: PlanHost[]; items: { host: PlanHost; stepIds: string[] }[]; serial: boolean }
  | { kind: 'checkpoint'; id: string; lines: string[] }
  | { kind: 'manual'; id: string; lines: string[] };

/** The procedure as plays, in order: consecutive restarts form one play run host by host. */
function plays(plan: Plan): Play[] {
  const out: Play[] = [];
  let manual: string[] = [];
  let manualId = '';
  const byName = (name: string) => plan.hosts.find((h) => h.hostname === name)!;
  plan.procedure.forEach((phase, p) => {
    for (const item of phase.items) {
      if (REFERENCE.has(item.kind)) continue;
      if (!AUTOMATED.has(item.kind)) {
        if (!manual.length) manualId = item.id;
        manual.push(`RUNBOOK.md ${p + 1}. ${phase.title}: ${item.id} (${item.where})`);
        continue;
      }
      if (manual.length) {
        out.push({ kind: 'checkpoint', id: manualId, lines: manual });
        manual = [];
      }
      if (item.kind === 'check-all') {
        out.push({ kind: 'prepare', id: item.id });
        continue;
      }
      const host = byName((item as { hostname: string }).hostname);
      const stepIds = (item as { stepIds: string[] }).stepIds;
      const last = out[out.length - 1];
      if (item.kind === 'restart-host' && last?.kind === 'hosts' && last.serial) {
        last.hosts.push(host);
        last.items.push({ host, stepIds });
        continue;
      }
      out.push({ kind: 'hosts', id: item.id, title: phase.title, hosts: [host], items: [{ host, stepIds }], serial: item.kind === 'restart-host' });
    }
  });
  if (manual.length) out.push({ kind: 'manual', id: manualId, lines: manual });
  return out;
}

function playView(plan: Plan, play: Play) {
  if (play.kind === 'checkpoint') {
    const prompt = [`Checkpoint ${play.id}: do this by hand first, as RUNBOOK.md says:`, ...play.lines.map((l) => `  - ${l}`), 'Type yes when it is done'];
    return { ...play, name: `Checkpoint ${play.id}: the manual work before the next play is done`, blockName: `Checkpoint ${play.id}, confirmed once`, prompt, hint: wrap(`not confirmed: do the work of checkpoint ${play.id} (RUNBOOK.md), then type yes, or run again with -e pbxplan_confirmed=${play.id} (several: separated by commas); done steps are skipped`) };
  }
  if (play.kind !== 'hosts') return play;
  const only = play.hosts.length === 1;
  const steps = play.items.flatMap(({ host, stepIds }) => stepIds.map((id) => stepView(plan, host, host.steps.find((s) => s.id === id)!, only)));
  const where = play.hosts.map((h) => h.hostname).join(', ');
  return { ...play, name: `${play.title}: ${where}`, hosts: play.hosts.map((h) => inventoryName(plan, h)), single: only, steps };
}

export function emitAnsible(plan: Plan, templates: Templates): RenderedFile[] {
  const site = { plan, group: clusterGroup(plan), plays: plays(plan).map((p) => playView(plan, p)) };
  return [
    { path: 'ansible/inventory.yml', content: renderInventory([plan], templates), mode: 0o644 },
    { path: 'ansible/site.yml', content: template(templates, 'ansible/site.yml')(site), mode: 0o644 },
  ];
}
