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

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const isStrOrNull = (v: unknown) => v === null || isStr(v);
const isArr = (v: unknown, each: (x: unknown) => boolean) => Array.isArray(v) && v.every(each);
const isRef = (v: unknown) => isObj(v) && (isStr(v['env']) || isStr(v['file']));

/** What the diff reads of a plan, checked before anything reads it: a plan.json edited by hand or
 * written by something else is refused with the first place that is wrong, never a crash. */
function planProblem(v: unknown): string | null {
  if (!isObj(v)) return 'it is not a JSON object';
  if (!isObj(v['cluster']) || !isStr(v['cluster']['pbxAddress']) || !isStr(v['cluster']['topology'])) return 'cluster.pbxAddress and cluster.topology are required';
  const r = v['release'];
  if (!isObj(r) || !isStr(r['pbxImage']) || !isStr(r['pbxVersion']) || !['clickhouseImage', 'postgresImage', 'sbcImage'].every((k) => isStrOrNull(r[k]))) return 'release is not a plan release';
  const a = v['airgap'];
  if (!isObj(a) || !(a['registry'] === null || (isObj(a['registry']) && isStr(a['registry']['server']) && isStr(a['registry']['username']) && isRef(a['registry']['passwordRef']))) || !isStrOrNull(a['registryMirror'])) return 'airgap is not a plan airgap section';
  if (!isStr(v['specSha256']) || !isStrOrNull(v['whitelistExpires'])) return 'specSha256 and whitelistExpires are required';
  if (v['protect'] !== undefined && !isArr(v['protect'], isStr)) return 'protect is not a list of names';
  if (!Array.isArray(v['hosts'])) return 'hosts is not a list';
  for (const [i, h] of v['hosts'].entries()) {
    const at = `hosts[${i}]`;
    if (!isObj(h) || !isStr(h['hostname']) || !isStr(h['role']) || !isStr(h['privateIp']) || !isStrOrNull(h['publicIp']) || !isStrOrNull(h['serverName'])) return `${at} lacks hostname, role, privateIp, publicIp or serverName`;
    if (!isObj(h['preflight'])) return `${at}.preflight is required`;
    if (!Array.isArray(h['steps'])) return `${at}.steps is not a list`;
    for (const [j, st] of h['steps'].entries()) {
      const sat = `${at}.steps[${j}]`;
      if (!isObj(st) || !isStr(st['kind']) || !isStr(st['id'])) return `${sat} lacks kind or id`;
      if (!isArr(st['origin'], (o) => isObj(o) && isStr(o['path']) && typeof o['line'] === 'number')) return `${sat}.origin is not a list of places`;
      if (!isArr(st['calls'], (c) => isObj(c) && isStr(c['purpose']) && isStr(c['script']) && isArr(c['argv'], isStr) && isArr(c['secrets'], (x) => isObj(x) && typeof x['index'] === 'number' && isStr(x['label']) && isRef(x['ref'])))) return `${sat}.calls is not a list of vendor calls`;
      if (st['kind'] === 'trust-source' && !isStr(st['address'])) return `${sat}.address is required`;
      if (st['kind'] === 'ha-extend' && !isArr(st['targets'], isStr)) return `${sat}.targets is required`;
      if (st['kind'] === 'ssh-access' && !isStr(st['target'])) return `${sat}.target is required`;
    }
  }
  if (!Array.isArray(v['procedure'])) return 'procedure is not a list';
  for (const [i, ph] of v['procedure'].entries()) {
    if (!isObj(ph) || !Array.isArray(ph['items'])) return `procedure[${i}].items is not a list`;
    for (const [j, it] of ph['items'].entries()) {
      const at = `procedure[${i}].items[${j}]`;
      if (!isObj(it) || !isStr(it['kind'])) return `${at} lacks kind`;
      if (it['kind'] === 'portal-whitelist' && !isArr(it['entries'], (e) => isObj(e) && isStr(e['ip']) && isStr(e['host']))) return `${at}.entries is not a list of whitelist entries`;
      if (it['kind'] === 'portal-add-servers' && !isArr(it['servers'], (s) => isObj(s) && isStr(s['role']) && isStr(s['name']) && isStr(s['menu']) && isStr(s['privateIp']))) return `${at}.servers is not a list of portal servers`;
    }
  }
  if (v['acceptedRisks'] !== undefined && !isArr(v['acceptedRisks'], (x) => isObj(x) && ['code', 'path', 'reason', 'approvedBy', 'expires', 'waiver'].every((k) => isStr(x[k])))) return 'acceptedRisks is not a list of accepted risks';
  return null;
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
    const partial = (data as { change?: unknown; upgrade?: unknown }).change !== undefined ? 'change' : (data as { upgrade?: unknown }).upgrade !== undefined ? 'upgrade' : null;
    if (partial) return { ok: false, diagnostics: [], problem: `${input.label} is the plan of ${partial === 'change' ? 'a change' : 'an upgrade'} bundle, which holds only the hosts it changed: give the spec, or the full bundle (or its plan.json) compiled from it` };
    const problem = planProblem(data);
    if (problem !== null) return { ok: false, diagnostics: [], problem: `${input.label} is not a plan.json pbxplan can read: ${problem}` };
    const plan = data as Plan;
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
