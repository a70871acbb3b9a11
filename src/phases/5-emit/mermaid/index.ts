// Target "mermaid": TOPOLOGY.mmd, the topology diagram as a Mermaid flowchart (code-hosting sites
// render it; RUNBOOK.md carries the same diagram in a ```mermaid block).
import type { RenderedFile } from '../../../model/bundle.js';
import type { Plan } from '../../../model/plan.js';
import { template, type Templates } from '../common/templates.js';
import { topologyView } from '../common/topology.js';

export function emitMermaid(plan: Plan, templates: Templates): RenderedFile[] {
  return [{ path: 'TOPOLOGY.mmd', content: template(templates, 'topology/TOPOLOGY.mmd')({ plan, topology: topologyView(plan) }), mode: 0o644 }];
}
