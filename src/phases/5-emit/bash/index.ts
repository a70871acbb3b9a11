// Target "bash": one install.sh per host, the per-host files beside it (the HA vars.yml) and the
// bundle's verify.sh. This module only shapes the view (function names, partial names, secret
// wording); the templates only loop and print; no shell text is built here.
import type { RenderedFile } from '../../../model/bundle.js';
import { REGISTRY_PASSWORD_LABEL } from '../../../model/artifacts.js';
import type { HostStep, Plan, PlanHost } from '../../../model/plan.js';
import { secretView } from '../common/secrets.js';
import { template, type Templates } from '../common/templates.js';

function stepView(s: HostStep, index: number) {
  const fn = `step_${index + 1}`;
  const secret = s.kind === 'vendor-run' && s.secret ? { flag: s.secret.flag, ...secretView(s.secret.ref, s.secret.label) } : null;
  return { ...s, index, fn, partial: `steps/${s.kind}`, secret };
}

/** Steps that may pull an image (the vendor scripts always do), or point Docker at a mirror:
 * the site registry must answer before one of them runs. */
const PULLING_KINDS = new Set<HostStep['kind']>(['vendor-run', 'ha-once', 'ha-deploy', 'ha-extend', 'registry-mirror']);

function hostView(plan: Plan, host: PlanHost) {
  const steps = host.steps.map(stepView);
  const secretChecks = steps.flatMap((s) => (s.secret ? [{ index: s.index, fn: s.fn, ...s.secret }] : []));
  return { plan, host, steps, secretChecks, ...airgapHostView(plan, host), pullSteps: steps.filter((s) => PULLING_KINDS.has(s.kind)) };
}

/** The bundle files a host checks before it runs, and the site registry it pulls from. */
function airgapHostView(plan: Plan, host: PlanHost) {
  const airgap = plan.airgap;
  const dir = hostDir(host);
  const artifacts = airgap.artifacts.filter((a) => a.state === 'bundled' && a.hosts.includes(host.hostname));
  const bundleFiles = [host.script, ...host.files.map((f) => `${dir}/${f.name}`), ...artifacts.flatMap((a) => a.files)];
  const reg = airgap.registry;
  const registry = reg ? { server: reg.server, username: reg.username, url: `https://${reg.server}`, ...secretView(reg.passwordRef, REGISTRY_PASSWORD_LABEL) } : null;
  const mirror = airgap.registryMirror && host.steps.some((s) => s.kind === 'registry-mirror') ? { url: airgap.registryMirror } : null;
  return { bundleFiles, registry, mirror, airgapPreflight: !!(registry || mirror) };
}

const hostDir = (host: PlanHost) => host.script.slice(0, host.script.lastIndexOf('/'));

export function emitBash(plan: Plan, templates: Templates): RenderedFile[] {
  const files: RenderedFile[] = [{ path: 'verify.sh', content: template(templates, 'bundle/verify.sh')({ plan }), mode: 0o755 }];
  for (const host of plan.hosts) {
    files.push({ path: host.script, content: template(templates, 'host/install.sh')(hostView(plan, host)), mode: 0o755 });
    for (const f of host.files) {
      files.push({ path: `${hostDir(host)}/${f.name}`, content: template(templates, `host/${f.name}`)({ plan, host, file: f }), mode: 0o644 });
    }
  }
  return files;
}
