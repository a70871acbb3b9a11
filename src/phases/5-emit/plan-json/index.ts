// Target "plan-json": plan.json, the Plan itself with a stable key order.
import type { RenderedFile } from '../../../model/bundle.js';
import type { Plan } from '../../../model/plan.js';

export function emitPlanJson(plan: Plan): RenderedFile[] {
  return [{ path: 'plan.json', content: JSON.stringify(plan, null, 2) + '\n', mode: 0o644 }];
}
