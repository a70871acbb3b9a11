// API (stable; the fake-host proof and the CLI use it):
//   compileChange(newSpecText, { spec: oldText, specName? } | { plan }, options) → ChangeResult
//     options: CompileOptions (specName names NEW) plus purge?: boolean (--purge) and
//     allowDestroy?: boolean (--allow-destroy).
//     result: { ok, diagnostics, plan, files, copies, kind, refusal?, side? } as compileUpgrade's:
//     ok with files → write them as a bundle; refusal → nothing to write, the words say why.
//   kind: 'change' (a change bundle), 'upgrade' (release only: the upgrade bundle), or absent.
//   CLI: npm run pbxplan -- compile NEW --from OLD -o DIR [--purge] [--allow-destroy]
//   Hosts: plan.hosts are the hosts the change touches. A host whose only steps are
//   marker-record (restart markers brought to the new membership, nothing restarts) changes only
//   pbxplan's markers: its --check exits 2 before and 0 after like any other changed host.
//
// `compile NEW --from OLD`: both sides compiled (or OLD read from a bundle's plan.json), the diff
// taken, then dispatched by bundleKind: only the release → the upgrade bundle; any other change →
// the change bundle; a refused change, or the release mixed with others → a refusal saying what
// to do instead.
import type { Diagnostic } from './diagnostics/diagnostic.js';
import { DiagnosticBag } from './diagnostics/diagnostic.js';
import { formatPath } from './diagnostics/yaml-path.js';
import { compareSides } from './diff/compare.js';
import { bundleKind, diff, formatDiffText, type Side } from './diff/index.js';
import type { Plan } from './model/plan.js';
import type { Spec } from './model/spec.js';
import { compile, type CompileOptions, type CompileResult } from './compile.js';
import { compileUpgrade } from './compile-upgrade.js';
import { load } from './phases/1-load/load.js';
import { planChange } from './phases/4-plan/change/index.js';
import { emit } from './phases/5-emit/index.js';
import { bundle } from './phases/6-bundle/bundle.js';

/** OLD: a spec (its text, and its file name for the bundle's words), or the Plan of the bundle that installed the cluster. */
export type ChangeFrom = { spec: string | Uint8Array; specName?: string } | { plan: Plan };

export interface ChangeOptions extends CompileOptions {
  purge?: boolean;
  allowDestroy?: boolean;
}

export interface ChangeResult extends CompileResult {
  /** Which side the diagnostics belong to when ok is false. */
  side?: 'old' | 'new';
  /** Set when both sides compiled but OLD → NEW gets no bundle: why, and what to do instead. */
  refusal?: string;
  kind?: 'change' | 'upgrade';
}

const text = (t: string | Uint8Array) => (typeof t === 'string' ? t : new TextDecoder().decode(t));

/** `servers[2].privateIp` → ['servers', 2, 'privateIp'] */
function parsePath(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const m of path.matchAll(/([A-Za-z_][A-Za-z0-9_-]*)|\[([0-9]+)\]/g)) out.push(m[1] !== undefined ? m[1] : Number(m[2]));
  return out;
}

/** A diff side of a compiled spec: its lines from the YAML, its waivers from the spec. */
function specSide(plan: Plan, source: string): Side {
  const loaded = load(source, new DiagnosticBag());
  const spec = loaded?.data as Spec | undefined;
  return {
    label: plan.specName,
    plan,
    locate: (path) => loaded?.locate(parsePath(path))?.line ?? null,
    waivers: (spec?.waivers ?? []).map((w, i) => ({ waiver: w, path: formatPath(['waivers', i]) })),
  };
}

/** A diff side of a bundle's plan.json: lines from its origins. */
function planSide(plan: Plan): Side {
  const lines = new Map<string, number>();
  for (const h of plan.hosts) for (const s of h.steps) for (const o of s.origin) if (!lines.has(o.path)) lines.set(o.path, o.line);
  const waivers = [...new Map((plan.acceptedRisks ?? []).map((r) => [r.waiver, { waiver: { code: r.code, reason: r.reason, approvedBy: r.approvedBy, expires: r.expires }, path: r.waiver }])).values()];
  return { label: plan.specName, plan, locate: (path) => lines.get(path) ?? null, waivers };
}

export function compileChange(input: string | Uint8Array, from: ChangeFrom, opts: ChangeOptions): ChangeResult {
  const { purge = false, allowDestroy = false, ...compileOpts } = opts;
  // NEW's full bundle is only compared, never written: its files must not reach a streaming host.
  const { writeFile: _writeFile, ...readOnlyHost } = compileOpts.host ?? {};
  const newResult = compile(input, { ...compileOpts, host: readOnlyHost });
  if (!newResult.ok) return { ...newResult, side: 'new' };
  const newPlan = newResult.plan!;
  let oldPlan: Plan;
  let oldSide: Side;
  if ('plan' in from) {
    if (from.plan.change || from.plan.upgrade) {
      return { ok: false, diagnostics: newResult.diagnostics, refusal: `the plan given as OLD is a${from.plan.change ? ' change' : 'n upgrade'} bundle's, which holds only what it changed: give the spec the cluster runs now, or the full bundle (or plan.json) compiled from it` };
    }
    oldPlan = from.plan;
    oldSide = planSide(oldPlan);
  } else {
    const old = compile(from.spec, { ...compileOpts, host: {}, ...(from.specName ? { specName: from.specName } : {}) });
    if (!old.ok) return { ...old, side: 'old' };
    oldPlan = old.plan!;
    oldSide = specSide(oldPlan, text(from.spec));
  }
  const newSide = specSide(newPlan, text(input));
  const result = diff(oldSide, newSide, { allowDestroy });
  const kind = bundleKind(result);
  const diagnostics: Diagnostic[] = newResult.diagnostics;
  if (kind.kind === 'none') return { ok: false, diagnostics, refusal: 'nothing to change: no host differs between the two specs (waivers alone change no host); the bundle the cluster was installed with stays the one to use' };
  if (kind.kind === 'refused') return { ok: false, diagnostics, refusal: kind.message };
  if (kind.kind === 'upgrade') {
    const up = compileUpgrade(input, 'plan' in from ? from : { spec: from.spec }, compileOpts);
    return { ...up, kind: 'upgrade' };
  }
  const pairs = compareSides(oldSide, newSide).pairs.map((p) => ({ old: p.old.hostname, new: p.new.hostname }));
  const all = formatDiffText(result).split('\n');
  const summary = all.slice(0, all.indexOf('') === -1 ? all.length : all.indexOf(''));
  const plan = planChange(oldPlan, newPlan, result, pairs, { purge }, summary);
  const kept = new Set(plan.airgap.artifacts.flatMap((a) => a.files));
  const copies = (newResult.copies ?? []).filter((c) => kept.has(c.path));
  const files = bundle({ files: emit(plan, compileOpts.toolchain.templates), copies, generatedBy: compileOpts.generatedBy, specSha256: plan.specSha256, clusterName: plan.cluster.name });
  return { ok: true, diagnostics, plan, files, copies, kind: 'change' };
}
