// `compile NEW --from OLD` when only the release changed: both sides compiled (or OLD read from a
// bundle's plan.json), the change judged, then the upgrade Plan emitted and bundled like any other.
import type { Diagnostic } from './diagnostics/diagnostic.js';
import type { Plan } from './model/plan.js';
import { compile, emitBundle, type CompileOptions, type CompileResult } from './compile.js';
import { isReleaseOnlyChange, planUpgrade, upgradeRefusal } from './phases/4-plan/upgrade/index.js';

export { isReleaseOnlyChange, nonReleaseDifferences, upgradeRefusal } from './phases/4-plan/upgrade/index.js';

/** OLD: a spec (its bytes or text) or the Plan of the bundle that installed the cluster. */
export type UpgradeFrom = { spec: string | Uint8Array } | { plan: Plan };

export interface UpgradeResult extends CompileResult {
  /** Which side the diagnostics belong to when ok is false. */
  side?: 'old' | 'new';
  /** Set when both sides compiled but OLD → NEW is no upgrade this tool builds. */
  refusal?: string;
}

/** Compiles OLD (when a spec) and NEW; null plan with the diagnostics when either fails. */
export function comparePlans(input: string | Uint8Array, from: UpgradeFrom, opts: CompileOptions): { ok: false; result: UpgradeResult } | { ok: true; oldPlan: Plan; newResult: CompileResult } {
  // Both sides are compiled for their Plans only: their own bundles are not written anywhere.
  const { writeFile: _writeFile, ...host } = opts.host ?? {};
  const newResult = compile(input, { ...opts, host });
  if (!newResult.ok) return { ok: false, result: { ...newResult, side: 'new' } };
  if ('plan' in from) return { ok: true, oldPlan: from.plan, newResult };
  const old = compile(from.spec, { ...opts, host: {} });
  if (!old.ok) return { ok: false, result: { ...old, side: 'old' } };
  return { ok: true, oldPlan: old.plan!, newResult };
}

export function compileUpgrade(input: string | Uint8Array, from: UpgradeFrom, opts: CompileOptions): UpgradeResult {
  const compared = comparePlans(input, from, opts);
  if (!compared.ok) return compared.result;
  const { oldPlan, newResult } = compared;
  const newPlan = newResult.plan!;
  const diagnostics: Diagnostic[] = newResult.diagnostics;
  const refusal = upgradeRefusal(oldPlan, newPlan);
  if (refusal !== null) return { ok: false, diagnostics, refusal };
  const plan = planUpgrade(oldPlan, newPlan);
  const kept = new Set(plan.airgap.artifacts.flatMap((a) => a.files));
  const copies = (newResult.copies ?? []).filter((c) => kept.has(c.path));
  const files = emitBundle(plan, { templates: opts.toolchain.templates, optIn: [], copies, generatedBy: opts.generatedBy, writeFile: opts.host?.writeFile });
  return { ok: true, diagnostics, plan, ...(files ? { files } : {}), copies };
}

/** Whether `compile NEW --from OLD` is an upgrade (only the release differs): the CLI's dispatch. */
export function isUpgrade(oldPlan: Plan, newPlan: Plan): boolean {
  return isReleaseOnlyChange(oldPlan, newPlan);
}
