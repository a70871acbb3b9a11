// `pbxplan diff` as a library: two sides in, the classified changes out. Pure and deterministic.
import { classify, weight } from './classify.js';
import { compareSides } from './compare.js';
import { DIFF_FORMAT_VERSION, type DiffResult, type Side } from './model.js';
import { actionRank, type Action, type Reason } from './reasons.js';

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

/** Image changes: an upgrade bundle carries them out, in the vendor's order. */
const UPGRADE_REASONS: readonly Reason[] = ['pbx_image_changed', 'postgres_image_changed', 'clickhouse_image_changed', 'sbc_image_changed'];

export type BundleKind = { kind: 'none' } | { kind: 'upgrade' } | { kind: 'change' } | { kind: 'refused'; message: string };

/**
 * Which bundle `compile NEW --from OLD` writes for a diff: nothing to do, an upgrade bundle (the
 * release alone changed), a change bundle (no image changed), or a refusal — a change pbxplan
 * refuses (its errors), or a release change mixed with other changes, which must be two bundles
 * so that the upgrade's backup, order and point of no return stay its own.
 */
export function bundleKind(r: DiffResult): BundleKind {
  if (r.errors.length) return { kind: 'refused', message: r.errors.map((e) => `[${e.reason}] ${e.message}`).join('; ') };
  const upgrade = r.changes.filter((c) => UPGRADE_REASONS.includes(c.reason));
  const other = r.changes.filter((c) => !UPGRADE_REASONS.includes(c.reason));
  if (upgrade.length && other.length) {
    const what = [...new Set(other.map((c) => c.reason))].join(', ');
    return { kind: 'refused', message: `the release changed (${upgrade.map((c) => c.detail).join('; ')}) together with other changes (${what}): make the upgrade a bundle of its own — first compile a spec that changes only the release, apply that upgrade bundle, then compile the other changes --from it` };
  }
  if (upgrade.length) return { kind: 'upgrade' };
  return other.length ? { kind: 'change' } : { kind: 'none' };
}

/** A change at or above `level` (--deny): its action or anything it forces. */
export function denied(r: DiffResult, level: Action): boolean {
  return r.changes.some((c) => weight(c) >= actionRank(level));
}
