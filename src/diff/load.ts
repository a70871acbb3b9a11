// Either side of a diff as a Side: a spec (compiled, so its errors stop the diff like compile's),
// or the plan.json of an earlier bundle (the bundle directory's own plan.json is read by the CLI).
// The caller reads the bytes; nothing here touches the disk.
import { compile, type CompileOptions } from '../compile.js';
import { DiagnosticBag, type Diagnostic } from '../diagnostics/diagnostic.js';
import { formatPath } from '../diagnostics/yaml-path.js';
import { PLAN_FORMAT_VERSION, type Plan } from '../model/plan.js';
import type { Spec, Waiver } from '../model/spec.js';
import { load } from '../phases/1-load/load.js';
import type { Side } from './model.js';

export type SideInput = { kind: 'spec'; label: string; text: string } | { kind: 'plan'; label: string; text: string };

export type Loaded = { ok: true; side: Side; diagnostics: Diagnostic[] } | { ok: false; diagnostics: Diagnostic[]; problem: string | null };

/** `servers[2].privateIp` → ['servers', 2, 'privateIp'] */
function parsePath(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const m of path.matchAll(/([A-Za-z_][A-Za-z0-9_-]*)|\[([0-9]+)\]/g)) out.push(m[1] !== undefined ? m[1] : Number(m[2]));
  return out;
}

/** From a plan alone: the lines its origins name; a path not named falls back to its parent's. */
function originLocator(plan: Plan): (path: string) => number | null {
  const lines = new Map<string, number>();
  for (const h of plan.hosts) for (const s of h.steps) for (const o of s.origin) if (!lines.has(o.path)) lines.set(o.path, o.line);
  for (const r of plan.acceptedRisks ?? []) if (r.line !== null && !lines.has(r.path)) lines.set(r.path, r.line);
  return (path) => {
    for (let p = path; p; p = p.replace(/(\.[A-Za-z_][A-Za-z0-9_-]*|\[[0-9]+\])$/, '')) {
      const line = lines.get(p);
      if (line !== undefined) return line;
      if (!/[.[]/.test(p)) break;
    }
    return null;
  };
}

function isPlan(v: unknown): v is Plan {
  if (!v || typeof v !== 'object') return false;
  const p = v as Record<string, unknown>;
  return Array.isArray(p['hosts']) && Array.isArray(p['procedure']) && typeof p['cluster'] === 'object' && typeof p['release'] === 'object' && typeof p['airgap'] === 'object';
}

export function loadSide(input: SideInput, opts: CompileOptions): Loaded {
  if (input.kind === 'plan') {
    let data: unknown;
    try {
      data = JSON.parse(input.text);
    } catch (e) {
      return { ok: false, diagnostics: [], problem: `${input.label} is not JSON: ${(e as Error).message}` };
    }
    const version = (data as { formatVersion?: unknown } | null)?.formatVersion;
    if (version !== PLAN_FORMAT_VERSION) return { ok: false, diagnostics: [], problem: `${input.label} is plan format ${JSON.stringify(version ?? null)}; this pbxplan reads format ${PLAN_FORMAT_VERSION} — compile the old spec again, or give the spec itself` };
    if (!isPlan(data)) return { ok: false, diagnostics: [], problem: `${input.label} is not a pbxplan plan.json (hosts, procedure, cluster, release and airgap are required)` };
    const plan = data;
    const seen = new Set<string>();
    const waivers: Side['waivers'] = [];
    for (const r of plan.acceptedRisks ?? []) {
      if (seen.has(r.waiver)) continue;
      seen.add(r.waiver);
      waivers.push({ waiver: { code: r.code, reason: r.reason, approvedBy: r.approvedBy, expires: r.expires }, path: r.waiver });
    }
    return { ok: true, side: { label: input.label, plan, locate: originLocator(plan), waivers }, diagnostics: [] };
  }
  const result = compile(input.text, opts);
  if (!result.ok || !result.plan) return { ok: false, diagnostics: result.diagnostics, problem: null };
  const loaded = load(input.text, new DiagnosticBag());
  const spec = loaded?.data as Spec | undefined;
  const locate = (path: string) => loaded?.locate(parsePath(path))?.line ?? null;
  const waivers = (spec?.waivers ?? []).map((w: Waiver, i) => ({ waiver: w, path: formatPath(['waivers', i]) }));
  return { ok: true, side: { label: input.label, plan: result.plan, locate, waivers }, diagnostics: result.diagnostics };
}
