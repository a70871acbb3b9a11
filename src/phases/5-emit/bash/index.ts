// Target "bash": one install.sh per host, the per-host files beside it (the HA vars.yml) and the
// bundle's verify.sh. This module only shapes the view (function names, partial names, secret
// wording); the templates only loop and print; no shell text is built here.
import type { RenderedFile } from '../../../model/bundle.js';
import { REGISTRY_PASSWORD_LABEL } from '../../../model/artifacts.js';
import type { HostStep, Plan, PlanHost, VendorCall } from '../../../model/plan.js';
import { originView } from '../common/origin.js';
import { countLines, scanRendered, SCRIPT_HEADING, verbatimBlock, type VerbatimBlock } from '../common/regions.js';
import { hostBundleFiles, hostDir } from '../common/bundle-files.js';
import { secretView } from '../common/secrets.js';
import { template, type Templates } from '../common/templates.js';

/** The shell variable an action reads each secret into before the call (see steps/vendor-run). */
const SECRET_VARIABLE: Record<string, string> = { [REGISTRY_PASSWORD_LABEL]: 'registry_password' };
const secretVariable = (label: string) => SECRET_VARIABLE[label] ?? 'secret_value';

const literalWord = (text: string) => ({ text, var: null, shown: text });

/** A call as the templates print it: each argv word literal, or a secret's variable (and, for
 * --dry-run, the placeholder that says where the secret comes from). */
function callView(c: VendorCall | undefined) {
  if (!c) return null;
  // Most calls have no secret: every word is literal and recorded.
  if (!c.secrets.length) return { script: c.script, subcommand: c.subcommand, words: c.argv.map(literalWord), recorded: c.argv };
  const secretAt = new Map(c.secrets.map((x) => [x.index, x]));
  const words = c.argv.map((text, i) => {
    const x = secretAt.get(i);
    return x ? { text, var: secretVariable(x.label), shown: secretView(x.ref, x.label).placeholder } : { text, var: null, shown: text };
  });
  // What the vendor's own record of the install holds: the arguments without the secrets.
  const secretWords = new Set(c.secrets.flatMap((x) => [x.index - 1, x.index]));
  const recorded = c.argv.filter((_, i) => !secretWords.has(i));
  return { script: c.script, subcommand: c.subcommand, words, recorded };
}

function stepView(plan: Plan, s: HostStep, index: number) {
  const fn = `step_${index + 1}`;
  const actions = s.calls.filter((c) => c.purpose === 'action');
  const action = actions[0];
  // The call whose secrets the action reads first (a step with several calls: the one that has them).
  const withSecrets = s.calls.find((c) => c.purpose !== 'probe' && c.secrets.length > 0) ?? action;
  const secrets = (withSecrets?.secrets ?? []).map((x) => ({ flag: withSecrets!.argv[x.index - 1]!, ...secretView(x.ref, x.label) }));
  const secret = secrets.find((x) => x.label !== REGISTRY_PASSWORD_LABEL) ?? null;
  const registry = secrets.find((x) => x.label === REGISTRY_PASSWORD_LABEL) ?? null;
  const probe = s.calls.find((c) => c.purpose === 'probe');
  const start = s.calls.find((c) => c.purpose === 'start');
  const stdin = action?.stdin ? secretView(action.stdin.ref, action.stdin.label) : null;
  // The view's fields and the step's own in one object. Assigned into the view (copying a step
  // with the spread operator and adding a dozen fields is twice as slow, on every host of a
  // bundle): no step has a field of the view's name, which DisjointFromSteps checks.
  const view = {
    index,
    fn,
    partial: `steps/${s.kind}`,
    call: callView(action),
    actions: actions.map(callView),
    start: callView(start),
    query: callView(probe),
    secret,
    registry,
    stdin,
    pulls: s.calls.some((c) => c.pulls.length > 0),
    from: originView(plan, s.origin),
  };
  const fields: DisjointFromSteps<typeof view> = view;
  return Object.assign(fields, s, tokenView(s));
}

/** Every field name of any kind of step. */
type StepField = HostStep extends infer S ? (S extends unknown ? keyof S : never) : never;
/** The view's fields, when no kind of step has a field of the same name (a type error else). */
type DisjointFromSteps<V> = [Extract<keyof V, StepField>] extends [never] ? V : never;

/** Where a role-remove step reads the token it removes with (the other steps have none). */
function tokenView(s: HostStep): { tokenKind?: 'env' | 'file'; tokenName?: string } {
  if (s.kind !== 'role-remove' || !s.tokenRef) return NO_TOKEN;
  return s.tokenRef.env !== undefined ? { tokenKind: 'env', tokenName: s.tokenRef.env } : { tokenKind: 'file', tokenName: s.tokenRef.file };
}
const NO_TOKEN = Object.freeze({});

function hostView(plan: Plan, host: PlanHost) {
  const steps = host.steps.map((s, i) => stepView(plan, s, i));
  const secretChecks = steps.flatMap((s) => (s.secret ? [{ index: s.index, fn: s.fn, ...s.secret }] : []));
  // The site registry (or mirror) must answer before a step that pulls, or points Docker at a
  // mirror, runs; install_dependencies.sh (ha-once) fetches from the network as well.
  const pullSteps = steps.filter((s) => s.pulls || s.kind === 'registry-mirror' || s.kind === 'registry-login' || s.kind === 'ha-once');
  // A restart is keyed by a marker, so it can be run again on purpose (--redo).
  const redoSteps = host.steps.filter((s) => s.kind === 'vendor-restart').map((s) => s.id);
  return { plan, host, steps, secretChecks, ...airgapHostView(plan, host), pullSteps, redoSteps, upgrade: plan.upgrade !== undefined, change: changeHostView(plan, host) };
}

/** A change bundle's base check for this host: the install records and what each may hold ("-": none). */
function changeHostView(plan: Plan, host: PlanHost) {
  const c = plan.change;
  if (!c) return null;
  const records = (c.hosts.find((h) => h.hostname === host.hostname)?.records ?? []).map((r) => ({ file: r.file, old: r.old ?? '-', new: r.new ?? '-' }));
  return { base: c.base, target: c.target, records };
}

/** The bundle files a host checks before it runs, and the site registry it pulls from. */
function airgapHostView(plan: Plan, host: PlanHost) {
  const airgap = plan.airgap;
  const bundleFiles = hostBundleFiles(plan, host);
  const reg = airgap.registry;
  const registry = reg ? { server: reg.server, username: reg.username, url: `https://${reg.server}`, ...secretView(reg.passwordRef, REGISTRY_PASSWORD_LABEL) } : null;
  const mirrorStep = host.steps.some((s) => s.kind === 'registry-mirror');
  const mirror = airgap.registryMirror && mirrorStep ? { url: airgap.registryMirror } : null;
  const login = host.steps.some((s) => s.kind === 'registry-login');
  const localRegistry = host.steps.some((s) => s.kind === 'local-registry');
  return { bundleFiles, registry, mirror, mirrorStep, login, localRegistry, airgapPreflight: !!(registry || mirror || localRegistry) };
}

/** The shell library: partials that are the same text in every host script (about two thirds
 * of it), each rendered, walked and encoded once per bundle. A script's templates print
 * `{{verbatim "name"}}` where one goes, and `scanRendered` puts its text back. They are plain
 * text, no `{{`, and must stay so (library.test.ts checks). */
export const SCRIPT_LIBRARY = ['lib', 'report', 'preflight-lib', 'airgap/host-lib'];

const scriptLibrary = (templates: Templates) => new Map(SCRIPT_LIBRARY.map((name) => [name, verbatimBlock(name, template(templates, `partials/${name}`)({}), SCRIPT_HEADING)]));

/** verify.sh, then each host's files: yielded one host at a time, so that the caller can write
 * them out before the next host is rendered. A script is walked once (`scanRendered`): its
 * step regions from its markers, its line count and headings for the source map. */
export function* emitBash(plan: Plan, templates: Templates): Generator<RenderedFile> {
  yield script('verify.sh', template(templates, 'bundle/verify.sh')({ plan }));
  const install = template(templates, 'host/install.sh');
  const library = scriptLibrary(templates);
  for (const host of plan.hosts) {
    yield script(host.script, install(hostView(plan, host)), library);
    // A host file is the whole of the step that syncs it.
    for (const f of host.files) {
      const content = template(templates, `host/${f.name}`)({ plan, host, file: f });
      const sync = host.steps.find((s) => s.kind === 'file-sync' && s.file === f.name);
      const regions = sync ? [{ kind: 'step' as const, id: sync.id, start: 1, end: countLines(content) + (content.endsWith('\n') ? 0 : 1) }] : [];
      yield { path: `${hostDir(host)}/${f.name}`, content, mode: 0o644, regions };
    }
  }
}

function script(path: string, rendered: string, blocks?: ReadonlyMap<string, VerbatimBlock>): RenderedFile {
  const { content, regions, lines, headings, chunks } = scanRendered(rendered, path, SCRIPT_HEADING, blocks);
  return { path, content, mode: 0o755, regions, lines, headings, ...(chunks ? { chunks } : {}) };
}
