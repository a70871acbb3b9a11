// Phase 5: Plan × templates → files (path → text). Templates only loop and print; this module
// only shapes the view (function names, partial names, secret wording) and never builds shell text.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import type { HostFile, HostStep, Plan, PlanHost, ProcedureItem, Topology } from '../../model/plan.js';
import type { SecretRef } from '../../model/spec.js';
import { ARTIFACT_WHAT, REGISTRY_PASSWORD_LABEL, artifactFile, howToObtain } from '../4-plan/artifacts.js';
import { comment, eq, md, shq } from './helpers.js';

export const TEMPLATES_DIR = fileURLToPath(new URL('../../../templates/', import.meta.url));

export interface RenderedFile {
  path: string; // bundle-relative, forward slashes
  content: string;
  mode: number; // 0o755 for scripts, 0o644 otherwise
}

export interface Templates {
  host: Handlebars.TemplateDelegate;
  runbook: Handlebars.TemplateDelegate;
  /** Per-host files beside install.sh, by HostFile kind. */
  hostFiles: Record<HostFile['kind'], Handlebars.TemplateDelegate>;
  /** verify.sh at the bundle root. */
  verify: Handlebars.TemplateDelegate;
}

const COMPILE_OPTIONS = {
  noEscape: true,
  strict: true,
  knownHelpersOnly: true,
  knownHelpers: { shq: true, comment: true, md: true, eq: true },
} as const;

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listFiles(join(dir, e.name)) : [join(dir, e.name)]));
}

/** Reads and compiles every template once; the result can serve many compilations. */
export function loadTemplates(dir: string = TEMPLATES_DIR): Templates {
  const hb = Handlebars.create();
  hb.registerHelper({ shq, comment, md, eq });
  const partialsDir = join(dir, 'partials');
  for (const file of listFiles(partialsDir).sort()) {
    const name = relative(partialsDir, file).replace(/\\/g, '/').replace(/\.hbs$/, '');
    hb.registerPartial(name, hb.compile(readFileSync(file, 'utf8'), COMPILE_OPTIONS));
  }
  return {
    host: hb.compile(readFileSync(join(dir, 'host/install.sh.hbs'), 'utf8'), COMPILE_OPTIONS),
    runbook: hb.compile(readFileSync(join(dir, 'runbook/RUNBOOK.md.hbs'), 'utf8'), COMPILE_OPTIONS),
    hostFiles: { 'ha-vars': hb.compile(readFileSync(join(dir, 'host/vars.yml.hbs'), 'utf8'), COMPILE_OPTIONS) },
    verify: hb.compile(readFileSync(join(dir, 'bundle/verify.sh.hbs'), 'utf8'), COMPILE_OPTIONS),
  };
}

const TOPOLOGY_TEXT: Record<Topology, string> = {
  standalone: 'standalone PBX (every command runs on its own host)',
  cluster: 'main PBX with cluster servers (every command runs on its own host)',
  'ha-onprem': 'three-node HA on premises (Pacemaker, DRBD, virtual IP)',
  'ha-aws': 'three-node HA on AWS (Elastic IP, shared EBS volume)',
};

function secretView(ref: SecretRef, label: string) {
  const kind = ref.env !== undefined ? 'env' : 'file';
  const value = ref.env ?? ref.file!;
  const refText = kind === 'env' ? `environment variable ${value}` : `file ${value}`;
  return { kind, ref: value, label, refText, placeholder: `<${label} from ${refText}>` };
}

function stepView(s: HostStep, index: number) {
  const fn = `step_${index + 1}`;
  const secret = s.kind === 'vendor-run' && s.secret ? { flag: s.secret.flag, ...secretView(s.secret.ref, s.secret.label) } : null;
  return { ...s, index, fn, partial: `steps/${s.kind}`, secret };
}

function hostView(plan: Plan, host: PlanHost) {
  const steps = host.steps.map(stepView);
  const secretChecks = steps.flatMap((s) => (s.secret ? [{ index: s.index, fn: s.fn, ...s.secret }] : []));
  return { plan, host, steps, secretChecks, ...airgapHostView(plan, host), pullSteps: steps.filter((s) => PULLING_KINDS.has(s.kind)) };
}

/** Steps that may pull an image (the vendor scripts always do), or point Docker at a mirror:
 * the site registry must answer before one of them runs. */
const PULLING_KINDS = new Set<HostStep['kind']>(['vendor-run', 'ha-once', 'ha-deploy', 'ha-extend', 'registry-mirror']);

/** The bundle files a host checks before it runs, and the site registry it pulls from. */
function airgapHostView(plan: Plan, host: PlanHost) {
  const airgap = plan.airgap;
  const dir = host.script.slice(0, host.script.lastIndexOf('/'));
  const artifacts = (airgap?.artifacts ?? []).filter((a) => a.state === 'bundled' && a.hosts.includes(host.hostname));
  const bundleFiles = [host.script, ...host.files.map((f) => `${dir}/${f.name}`), ...artifacts.flatMap((a) => a.files)];
  const reg = airgap?.registry;
  const registry = reg ? { server: reg.server, username: reg.username, url: `https://${reg.server}`, ...secretView(reg.passwordRef, REGISTRY_PASSWORD_LABEL) } : null;
  const mirror = airgap?.registryMirror && host.steps.some((s) => s.kind === 'registry-mirror') ? { url: airgap.registryMirror } : null;
  return { bundleFiles, registry, mirror, airgapPreflight: !!(registry || mirror) };
}

/** What the runbook says about artifacts, the registry and the mirror. */
function airgapRunbookView(plan: Plan) {
  const airgap = plan.airgap;
  const artifacts = airgap?.artifacts ?? [];
  const hostsText = (hosts: string[]) => (hosts.length === plan.hosts.length && hosts.length > 1 ? 'every host' : hosts.join(', '));
  const reg = airgap?.registry;
  return {
    artifactsDir: airgap?.artifactsDir ?? false,
    bundled: artifacts.filter((a) => a.state === 'bundled').flatMap((a) => a.files.map((path) => ({ path, what: a.image ? `${ARTIFACT_WHAT[a.kind]}, ${a.image}` : ARTIFACT_WHAT[a.kind], hosts: hostsText(a.hosts) }))),
    missing: artifacts.flatMap((a) => a.missing.map((name) => ({ file: artifactFile(a, name), what: ARTIFACT_WHAT[a.kind], hosts: hostsText(a.hosts), how: howToObtain(a, name) }))),
    scriptsExternal: artifacts.some((a) => a.kind === 'vendor-script' && a.state !== 'bundled'),
    registry: reg ? { server: reg.server, username: reg.username, refText: secretView(reg.passwordRef, REGISTRY_PASSWORD_LABEL).refText } : null,
    mirror: airgap?.registryMirror ?? null,
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
    procedure: plan.procedure.map((p, i) => ({ ...p, number: i + 1, items: p.items.map(item) })),
  };
}

export function render(plan: Plan, templates: Templates): RenderedFile[] {
  const files: RenderedFile[] = [];
  files.push({ path: 'RUNBOOK.md', content: squeezeBlankLines(templates.runbook(runbookView(plan))), mode: 0o644 });
  files.push({ path: 'plan.json', content: JSON.stringify(plan, null, 2) + '\n', mode: 0o644 });
  files.push({ path: 'verify.sh', content: templates.verify({ plan }), mode: 0o755 });
  for (const host of plan.hosts) {
    files.push({ path: host.script, content: templates.host(hostView(plan, host)), mode: 0o755 });
    for (const f of host.files) {
      files.push({ path: `${host.script.slice(0, host.script.lastIndexOf('/'))}/${f.name}`, content: templates.hostFiles[f.kind]({ plan, host, file: f }), mode: 0o644 });
    }
  }
  return files;
}

/** Markdown from templates with conditional blocks leaves runs of blank lines; keep one. */
function squeezeBlankLines(s: string): string {
  return s.replace(/\n{3,}/g, '\n\n').replace(/\n+$/, '\n');
}
