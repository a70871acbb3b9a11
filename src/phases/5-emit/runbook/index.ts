// Target "runbook": RUNBOOK.md, the procedure a person follows and signs off, phase by phase.
// RUNBOOK.html (target "html") prints the same procedure view.
import type { RenderedFile } from '../../../model/bundle.js';
import type { Plan } from '../../../model/plan.js';
import { procedureView } from '../common/procedure-view.js';
import { template, type Templates } from '../common/templates.js';

/** Markdown from templates with conditional blocks leaves runs of blank lines; keep one. */
function squeezeBlankLines(s: string): string {
  return s.replace(/\n{3,}/g, '\n\n').replace(/\n+$/, '\n');
}

export function emitRunbook(plan: Plan, templates: Templates): RenderedFile[] {
  return [{ path: 'RUNBOOK.md', content: squeezeBlankLines(template(templates, 'runbook/RUNBOOK.md')(procedureView(plan))), mode: 0o644 }];
}
