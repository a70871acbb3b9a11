// Phase 5: Plan → files. Every output of the bundle is a target: a function of the Plan (and the
// compiled templates) alone, importing only model/ and common/. Adding a target means adding a
// folder and one line in TARGETS.
import type { RenderedFile } from '../../model/bundle.js';
import type { Plan } from '../../model/plan.js';
import { emitAnsible } from './ansible/index.js';
import { emitBash } from './bash/index.js';
import type { Templates } from './common/templates.js';
import { emitHtml } from './html/index.js';
import { emitMermaid } from './mermaid/index.js';
import { emitPlanJson } from './plan-json/index.js';
import { emitRunbook } from './runbook/index.js';
import { sourceMapBuilder } from './sourcemap/index.js';

export interface Target {
  name: string;
  /** A target may yield its files one at a time (bash: a host at a time), so that each can be
   * written and dropped before the next is rendered. */
  emit: (plan: Plan, templates: Templates) => Iterable<RenderedFile>;
  /** Emitted only when asked for (compile --ansible), so other bundles keep their files. */
  optIn?: boolean;
}

/** The bundle's targets, in no particular order: phase 6 sorts the files by path. */
export const TARGETS: readonly Target[] = [
  { name: 'runbook', emit: emitRunbook },
  { name: 'plan-json', emit: emitPlanJson },
  { name: 'bash', emit: emitBash },
  { name: 'html', emit: emitHtml },
  { name: 'mermaid', emit: emitMermaid },
  { name: 'ansible', emit: emitAnsible, optIn: true },
];

/** Every target's files (an opt-in target only when `optIn` names it), then sourcemap.json from
 * them (the one target that reads the others' output: the line regions, line counts and headings
 * they recorded, which go no further; a file's `chunks` go on, for phase 6 to sum), each handed
 * to `sink` as soon as it is rendered: nothing here keeps a file's content, so a caller that
 * writes it out holds one file at a time. */
export function emitEach(plan: Plan, templates: Templates, optIn: readonly string[], sink: (file: RenderedFile) => void): void {
  const map = sourceMapBuilder(plan);
  for (const t of TARGETS) {
    if (t.optIn && !optIn.includes(t.name)) continue;
    for (const rendered of t.emit(plan, templates)) {
      map.add(rendered);
      const { regions: _regions, lines: _lines, headings: _headings, ...file } = rendered;
      sink(file);
    }
  }
  sink(map.file());
}

/** Every file of `emitEach`, in one array. */
export function emit(plan: Plan, templates: Templates, optIn: readonly string[] = []): RenderedFile[] {
  const files: RenderedFile[] = [];
  emitEach(plan, templates, optIn, (f) => files.push(f));
  return files;
}

export type { Templates } from './common/templates.js';
