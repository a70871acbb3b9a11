// Target "sourcemap": sourcemap.json, from every generated line that prints a step or a runbook
// item back to the spec. It runs after the other targets and reads only the Plan and their
// rendered files: the line ranges each target recorded from its region markers (regions.ts), and
// the files' own headings, which name the lines outside any step (banner, library, preflight).
import type { LineRegion, RenderedFile } from '../../../model/bundle.js';
import type { Origin, Plan, PlanHost } from '../../../model/plan.js';

export const SOURCEMAP_FORMAT_VERSION = 1;
export const SOURCEMAP_PATH = 'sourcemap.json';

export interface SourceMapStep {
  start: number;
  end: number;
  step: string; // the step's id (what --only takes)
  host: string;
  number: number; // its place in the host's script, 1-based (the step_N functions)
  title: string;
  origin: Origin[];
}

export interface SourceMapItem {
  start: number;
  end: number;
  item: string; // the runbook item's id
  where: string;
  phase: string; // "2. Install the main PBX"
  origin: Origin[];
}

export interface SourceMapSection {
  start: number;
  end: number;
  title: string;
}

export interface SourceMapFile {
  path: string;
  lines: number;
  /** What prints a step or an item, in order of the first line. */
  regions: (SourceMapStep | SourceMapItem)[];
  /** The file's parts by its headings (every line of a script or RUNBOOK.md is in one). */
  sections: SourceMapSection[];
}

export interface SourceMap {
  formatVersion: number;
  spec: { name: string; sha256: string };
  files: SourceMapFile[];
}

/** Headings that open a part: a script's `# ---- title ----`, RUNBOOK.md's `## title`. What comes
 * before the first one is the banner. */
const HEADINGS: { test: (path: string) => boolean; heading: RegExp; first: string }[] = [
  { test: (p) => p.endsWith('.sh'), heading: /^# ---- (.+?) -+$/, first: 'banner' },
  { test: (p) => p.endsWith('.md'), heading: /^#{1,3} (.+)$/, first: 'banner' },
];

const lineCount = (text: string) => (text === '' ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0));

function sections(file: RenderedFile, lines: number): SourceMapSection[] {
  const kind = HEADINGS.find((h) => h.test(file.path));
  if (!kind || !lines) return [];
  const out: SourceMapSection[] = [{ start: 1, end: lines, title: kind.first }];
  let fenced = false; // Markdown code blocks (the Mermaid diagram) hold no headings
  file.content.split('\n').forEach((line, i) => {
    if (line.startsWith('```')) fenced = !fenced;
    const m = fenced ? null : kind.heading.exec(line);
    if (!m || i >= lines) return;
    const last = out[out.length - 1]!;
    if (last.start === i + 1) out.pop();
    else last.end = i;
    out.push({ start: i + 1, end: lines, title: m[1]! });
  });
  return out;
}

/** The host a file belongs to: its script, or a file in its folder. */
function hostOf(plan: Plan, path: string): PlanHost | undefined {
  return plan.hosts.find((h) => h.script === path || path.startsWith(h.script.slice(0, h.script.lastIndexOf('/') + 1)));
}

function region(plan: Plan, file: RenderedFile, r: LineRegion): SourceMapStep | SourceMapItem {
  if (r.kind === 'step') {
    const host = hostOf(plan, file.path);
    const index = host?.steps.findIndex((s) => s.id === r.id) ?? -1;
    if (!host || index === -1) throw new Error(`${file.path}: step ${r.id} is not a step of its host`);
    const s = host.steps[index]!;
    return { start: r.start, end: r.end, step: s.id, host: host.hostname, number: index + 1, title: s.title, origin: s.origin };
  }
  for (const [i, phase] of plan.procedure.entries()) {
    const it = phase.items.find((x) => x.id === r.id);
    if (it) return { start: r.start, end: r.end, item: it.id, where: it.where, phase: `${i + 1}. ${phase.title}`, origin: it.origin };
  }
  throw new Error(`${file.path}: runbook item ${r.id} is not in the plan`);
}

export function sourceMap(plan: Plan, files: readonly RenderedFile[]): SourceMap {
  const mapped = files.flatMap((f): SourceMapFile[] => {
    const lines = lineCount(f.content);
    const regions = (f.regions ?? []).map((r) => region(plan, f, r));
    const parts = sections(f, lines);
    return regions.length || parts.length ? [{ path: f.path, lines, regions, sections: parts }] : [];
  });
  mapped.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { formatVersion: SOURCEMAP_FORMAT_VERSION, spec: { name: plan.specName, sha256: plan.specSha256 }, files: mapped };
}

/** JSON with one region or section a line: short, and a golden diff shows what moved. */
function render(map: SourceMap): string {
  const list = (xs: readonly object[]) => (xs.length ? `[\n${xs.map((x) => `        ${JSON.stringify(x)}`).join(',\n')}\n      ]` : '[]');
  const files = map.files.map((f) => `    {\n      "path": ${JSON.stringify(f.path)},\n      "lines": ${f.lines},\n      "regions": ${list(f.regions)},\n      "sections": ${list(f.sections)}\n    }`);
  return `{\n  "formatVersion": ${map.formatVersion},\n  "spec": ${JSON.stringify(map.spec)},\n  "files": [\n${files.join(',\n')}\n  ]\n}\n`;
}

export function emitSourceMap(plan: Plan, files: readonly RenderedFile[]): RenderedFile {
  return { path: SOURCEMAP_PATH, content: render(sourceMap(plan, files)), mode: 0o644 };
}
