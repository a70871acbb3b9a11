// `pbxplan diff` as a library: two sides in, the classified changes out. Pure and deterministic.
import { classify, weight } from './classify.js';
import { compareSides } from './compare.js';
import { DIFF_FORMAT_VERSION, type DiffResult, type Side } from './model.js';
import { actionRank, type Action } from './reasons.js';

export { formatDiffJson, formatDiffText } from './format.js';
export { loadSide, type Loaded, type SideInput } from './load.js';
export { ACTIONS, REASONS, isReason, type Action, type Reason } from './reasons.js';
export type { Change, DiffError, DiffResult, DiffSummary, Force, Side, WaiverChange } from './model.js';

export interface DiffOptions {
  /** Recreate or remove hosts the spec protects (`protect:`). */
  allowDestroy?: boolean;
}

export function diff(a: Side, b: Side, opts: DiffOptions = {}): DiffResult {
  const compared = compareSides(a, b);
  const { changes, errors, summary } = classify(a, b, compared, { allowDestroy: opts.allowDestroy ?? false });
  return {
    formatVersion: DIFF_FORMAT_VERSION,
    old: { file: a.label, specSha256: a.plan.specSha256 },
    new: { file: b.label, specSha256: b.plan.specSha256 },
    summary,
    changes,
    waivers: compared.waivers,
    errors,
  };
}

/** The exit code of `pbxplan diff`: 1 refused, 5 denied, 3 changes, 0 none (waivers alone are not a host change). */
export function diffExitCode(r: DiffResult, deny: Action | null): number {
  if (r.errors.length) return 1;
  if (deny !== null && denied(r, deny)) return 5;
  return r.changes.length ? 3 : 0;
}

/** A change at or above `level` (--deny): its action or anything it forces. */
export function denied(r: DiffResult, level: Action): boolean {
  return r.changes.some((c) => weight(c) >= actionRank(level));
}
