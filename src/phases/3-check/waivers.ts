// Waivers (spec `waivers:`, docs/spec-format.md): a person accepts a warning for a limited time,
// with a reason and an approver. Runs after every check rule, so that it sees every warning of
// the spec, and before the pipeline decides whether to stop, so that an accepted warning no
// longer counts under --strict. Like Rust's #[expect], a waiver that accepts nothing is reported.
import { CODES, isCode, type Code } from '../../diagnostics/codes.js';
import type { DiagnosticBag, YamlPath } from '../../diagnostics/diagnostic.js';
import { closest } from '../../diagnostics/suggest.js';
import { formatPath, parsePath } from '../../diagnostics/yaml-path.js';
import type { AcceptedRisk } from '../../model/plan.js';
import type { Spec, Waiver } from '../../model/spec.js';

/** The latest expiry a waiver may have, in days after today: risks are reviewed twice a year. */
export const WAIVER_MAX_DAYS = 180;
/** A waiver whose last day is at most this many days away is reported as expiring. */
export const WAIVER_NOTICE_DAYS = 14;

/**
 * Why a warning that is not waivable cannot be, and what to do instead. Every warning of the
 * catalog is either waivable or listed here (a test checks it); errors are never waivable.
 */
export const NOT_WAIVABLE: Partial<Record<Code, { why: string; fix: string }>> = {
  protect_name_unknown: {
    why: 'an entry that protects nothing is a typo to correct, not a risk to accept',
    fix: 'correct the name in protect: (a role or a host name of the spec) or delete the entry, then delete the waiver',
  },
  subnet_host_bits_set: {
    why: 'its fix is to write the network address, so there is no risk to accept',
    fix: 'write the network address the warning names, then delete the waiver',
  },
  release_registry_missing: {
    why: 'it depends on compile --artifacts, not on the spec, so validate could never check the waiver',
    fix: 'set release.registry or release.registryMirror, or compile without --artifacts when the hosts reach Docker Hub, then delete the waiver',
  },
  waiver_expiring: {
    why: 'it is about a waiver itself',
    fix: 'renew the waiver it is about, then delete this one',
  },
  waiver_unused: {
    why: 'it is about a waiver itself',
    fix: 'delete or correct the waiver it is about, then delete this one',
  },
};

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a YYYY-MM-DD date (already checked by the schema or the CLI). */
function dayNumber(day: string): number {
  return Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10))) / DAY_MS;
}

function addDays(day: string, days: number): string {
  return new Date((dayNumber(day) + days) * DAY_MS).toISOString().slice(0, 10);
}

/** True when `prefix` is `path` or one of its ancestors, segment by segment (`servers[2]` does not cover `servers[20]`). */
export function pathCovers(prefix: YamlPath, path: YamlPath): boolean {
  return prefix.length <= path.length && prefix.every((seg, i) => seg === path[i]);
}

interface Active {
  index: number;
  waiver: Waiver;
  path: YamlPath | null;
}

export interface WaiverInput {
  spec: Spec;
  bag: DiagnosticBag;
  /** YYYY-MM-DD: the day expiry is checked against (inclusive). */
  today: string;
}

/**
 * Checks every waiver, marks the warnings they accept (`accepted` on the diagnostic) and returns
 * those accepted risks in the order of the spec. A waiver that cannot apply (unknown or
 * unwaivable code, expired, too long) accepts nothing: its warning stays a warning.
 */
export function applyWaivers({ spec, bag, today }: WaiverInput): AcceptedRisk[] {
  const waivers = spec.waivers ?? [];
  if (!waivers.length) return [];
  const warnings = bag.items.filter((d) => d.severity === 'warning' && !d.accepted);
  const latest = addDays(today, WAIVER_MAX_DAYS);
  const active: Active[] = [];

  waivers.forEach((waiver, index) => {
    const at = (key: keyof Waiver): YamlPath => ['waivers', index, key];
    const code = waiver.code;
    if (!isCode(code)) {
      const near = closest(code, Object.keys(CODES));
      const suggestion = near
        ? `did you mean "${near}"?${CODES[near as Code].waivable ? '' : ` (${near} is not waivable either)`}`
        : 'write the code of the warning as pbxplan prints it in brackets; `pbxplan explain --list` lists every code';
      bag.add('waiver_code_unknown', at('code'), { code, suggestion });
      return;
    }
    if (!CODES[code].waivable) {
      const own = NOT_WAIVABLE[code];
      const why = CODES[code].severity === 'error' ? 'it is an error, so the bundle would install something broken or unsafe' : (own?.why ?? 'it is not a judgement call');
      const fix = CODES[code].severity === 'error' ? `fix the spec (pbxplan explain ${code}) and delete the waiver; errors are never waived` : (own?.fix ?? `see pbxplan explain ${code}`);
      bag.add('waiver_not_waivable', at('code'), { code, why, fix });
      return;
    }
    const args = { code, expires: waiver.expires, today, latest };
    if (waiver.expires < today) {
      bag.add('waiver_expired', at('expires'), args);
      return;
    }
    if (waiver.expires > latest) {
      bag.add('waiver_too_long', at('expires'), args);
      return;
    }
    const left = dayNumber(waiver.expires) - dayNumber(today);
    if (left <= WAIVER_NOTICE_DAYS) {
      const text = left === 0 ? 'today is its last day' : left === 1 ? '1 day left' : `${left} days left`;
      bag.add('waiver_expiring', at('expires'), { ...args, left: text });
    }
    active.push({ index, waiver, path: waiver.path === undefined ? null : parsePath(waiver.path) });
  });

  // Each warning is accepted by its most specific waiver (the longest path; the first on a tie);
  // every waiver that matches counts as used.
  const used = new Set<number>();
  for (const d of warnings) {
    let best: Active | undefined;
    for (const a of active) {
      if (a.waiver.code !== d.code || (a.path && !pathCovers(a.path, d.path))) continue;
      used.add(a.index);
      if (!best || (a.path?.length ?? -1) > (best.path?.length ?? -1)) best = a;
    }
    if (!best) continue;
    const span = bag.locate(['waivers', best.index]);
    d.accepted = { waiver: best.index, reason: best.waiver.reason, approvedBy: best.waiver.approvedBy, expires: best.waiver.expires, ...(span ? { span } : {}) };
  }

  for (const a of active.filter((x) => !used.has(x.index))) {
    const { code, path } = a.waiver;
    const places = warnings.filter((d) => d.code === code).map((d) => formatPath(d.path));
    const suggestion = places.length
      ? `${code} is reported at ${places.slice(0, 3).join(', ')}${places.length > 3 ? ` and ${places.length - 3} more` : ''}; point path at ${places.length === 1 ? 'it' : 'one of them'}, or delete the waiver`
      : `delete the waiver: the spec has no ${code} warning left to accept`;
    bag.add('waiver_unused', ['waivers', a.index, path === undefined ? 'code' : 'path'], { what: path === undefined ? code : `${code} at ${path}`, suggestion });
  }

  return bag
    .sorted()
    .filter((d) => d.accepted)
    .map((d) => {
      const w = d.accepted!;
      return { code: d.code, path: formatPath(d.path), line: d.span?.line ?? null, message: d.message, reason: w.reason, approvedBy: w.approvedBy, expires: w.expires, waiver: formatPath(['waivers', w.waiver]) };
    });
}
