// Target "runbook": RUNBOOK.md, the procedure a person follows and signs off, phase by phase.
// RUNBOOK.html (target "html") prints the same procedure view.
import type { RenderedFile } from '../../../model/bundle.js';
import type { Plan } from '../../../model/plan.js';
import { procedureView } from '../common/procedure-view.js';
import { stripRegions } from '../common/regions.js';
import { template, type Templates } from '../common/templates.js';
import { squeezeBlankLines } from './blank-lines.js';

export function emitRunbook(plan: Plan, templates: Templates): RenderedFile[] {
  // Squeezed before the markers go: a marker line sits between text lines, never in a blank run.
  const { content, regions } = stripRegions(squeezeBlankLines(template(templates, 'runbook/RUNBOOK.md')(procedureView(plan))), 'RUNBOOK.md');
  return [{ path: 'RUNBOOK.md', content, mode: 0o644, regions }];
}
