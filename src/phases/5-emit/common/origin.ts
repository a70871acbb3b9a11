// How a step or a runbook item names the spec places it comes from: "spec.yaml:41" and the YAML
// path, each place once. The bash header, RUNBOOK.md and RUNBOOK.html print this; the templates
// quote it with their own helper (comment, md, the HTML escaper), since the name is the user's.
import type { Origin, Plan } from '../../../model/plan.js';

export interface OriginView {
  at: string; // "spec.yaml:41"
  path: string; // "servers[3]"
  line: number;
}

export function originView(plan: Pick<Plan, 'specName'>, origin: readonly Origin[]): OriginView[] {
  const out: OriginView[] = [];
  // Most steps and items have one or two places; only those with more need a set to stay apart.
  const seen = origin.length > 2 ? new Set<string>() : null;
  for (const o of origin) {
    if (seen) {
      const key = `${o.line} ${o.path}`;
      if (seen.has(key)) continue;
      seen.add(key);
    } else if (out.length && out[0]!.line === o.line && out[0]!.path === o.path) continue;
    out.push({ at: `${plan.specName}:${o.line}`, path: o.path, line: o.line });
  }
  return out;
}

/** The places as one line of text, as the runbooks list them: `spec.yaml:41 servers[3], …`. */
export function originLine(view: readonly OriginView[]): string {
  let line = '';
  for (const v of view) line += line ? `, ${v.at} ${v.path}` : `${v.at} ${v.path}`;
  return line;
}
