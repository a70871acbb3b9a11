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
  const seen = new Set<string>();
  return origin.flatMap((o) => {
    const key = `${o.line} ${o.path}`;
    if (seen.has(key)) return [];
    seen.add(key);
    return [{ at: `${plan.specName}:${o.line}`, path: o.path, line: o.line }];
  });
}
