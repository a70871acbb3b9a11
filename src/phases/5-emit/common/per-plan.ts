// Views several targets print (the procedure for RUNBOOK.md and RUNBOOK.html, the topology for
// those and TOPOLOGY.mmd) are built once per Plan: a Plan is never changed once planned, and no
// template writes to its view, so a thousand-host bundle does not build them three times.
import type { Plan } from '../../../model/plan.js';

export function perPlan<T>(build: (plan: Plan) => T): (plan: Plan) => T {
  const views = new WeakMap<Plan, T>();
  return (plan) => {
    if (views.has(plan)) return views.get(plan)!;
    const view = build(plan);
    views.set(plan, view);
    return view;
  };
}
