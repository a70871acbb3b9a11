// Target "html": RUNBOOK.html, the runbook to read on a phone or print and sign. It prints the same
// procedure view as RUNBOOK.md, adds the topology diagram as inline SVG and stays one
// self-contained file: inline CSS, no scripts, nothing fetched (its CSP says so too).
import type { RenderedFile } from '../../../model/bundle.js';
import type { Plan } from '../../../model/plan.js';
import { procedureView } from '../common/procedure-view.js';
import { stripRegions } from '../common/regions.js';
import { template, type Templates } from '../common/templates.js';
import { layoutTopology } from '../common/topology-layout.js';

/** The page's view: the runbook's procedure view and the laid-out diagram. */
export function htmlView(plan: Plan) {
  const view = procedureView(plan);
  return { ...view, scene: layoutTopology(view.topology) };
}

export function emitHtml(plan: Plan, templates: Templates): RenderedFile[] {
  const { content, regions } = stripRegions(template(templates, 'runbook/RUNBOOK.html')(htmlView(plan)), 'RUNBOOK.html');
  return [{ path: 'RUNBOOK.html', content, mode: 0o644, regions }];
}
