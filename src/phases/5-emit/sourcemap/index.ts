// Target "sourcemap": sourcemap.json, from every generated line that prints a step or a runbook
// item back to the spec. It runs after the other targets and reads only the Plan and their
// rendered files: the line ranges each target recorded from its region markers (regions.ts), and
// the files' own headings, which name the lines outside any step (banner, library, preflight).
import type { Heading, LineRegion, RenderedFile } from '../../../model/bundle.js';
import type { Origin, Plan, PlanHost } from '../../../model/plan.js';
import { MARKDOWN_HEADING, SCRIPT_HEADING, scanRendered } from '../common/regions.js';

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

/** The files with parts, by their headings (regions.ts). What comes before the first one is the banner. */
const HEADINGS: { test: (path: string) => boolean; heading: RegExp; first: string }[] = [
  { test: (p) => p.endsWith('.sh'), heading: SCRIPT_HEADING, first: 'banner' },
  { test: (p) => p.endsWith('.md'), heading: MARKDOWN_HEADING, first: 'banner' },
];

/** A file's parts from its headings: each from its heading to the next one (a heading right
 * after another leaves the first without lines: it is dropped). */
function sections(headings: readonly Heading[], lines: number, first: string, title: (s: string) => string): SourceMapSection[] {
  const out: SourceMapSection[] = [{ start: 1, end: lines, title: first }];
  for (const h of headings) {
    const last = out[out.length - 1]!;
    if (last.start === h.line) out.pop();
    else last.end = h.line - 1;
    out.push({ start: h.line, end: lines, title: title(h.title) });
  }
  return out;
}

/** A copy of a piece of a file's text that does not keep the whole text alive (V8 keeps a slice
 * as a view of the string it came from): the map outlives the files it was built from. */
const detached = (s: string) => Buffer.from(s, 'utf8').toString('utf8');

/** What the regions of the files name, found by id: built once per source map, so that a bundle
 * of a thousand hosts is not searched a thousand times over. */
function planIndex(plan: Plan) {
  const hostByDir = new Map<string, PlanHost>();
  const hostByScript = new Map<string, PlanHost>();
  for (const h of plan.hosts) {
    if (!hostByScript.has(h.script)) hostByScript.set(h.script, h);
    const dir = h.script.slice(0, h.script.lastIndexOf('/') + 1);
    if (!hostByDir.has(dir)) hostByDir.set(dir, h);
  }
  const items = new Map<string, { it: Plan['procedure'][number]['items'][number]; phase: string }>();
  for (const [i, phase] of plan.procedure.entries()) {
    for (const it of phase.items) if (!items.has(it.id)) items.set(it.id, { it, phase: `${i + 1}. ${phase.title}` });
  }
  const steps = new Map<PlanHost, Map<string, number>>();
  /** The host a file belongs to: its script, or a file in its folder. */
  const hostOf = (path: string): PlanHost | undefined => {
    const own = hostByScript.get(path);
    if (own) return own;
    for (let cut = path.lastIndexOf('/'); cut > 0; cut = path.lastIndexOf('/', cut - 1)) {
      const h = hostByDir.get(path.slice(0, cut + 1));
      if (h) return h;
    }
    return undefined;
  };
  const stepIndex = (host: PlanHost, id: string): number => {
    let byId = steps.get(host);
    if (!byId) {
      byId = new Map();
      for (const [i, s] of host.steps.entries()) if (!byId.has(s.id)) byId.set(s.id, i);
      steps.set(host, byId);
    }
    return byId.get(id) ?? -1;
  };
  return { hostOf, stepIndex, items };
}

type PlanIndex = ReturnType<typeof planIndex>;

function region(index: PlanIndex, file: RenderedFile, r: LineRegion): SourceMapStep | SourceMapItem {
  if (r.kind === 'step') {
    const host = index.hostOf(file.path);
    const i = host ? index.stepIndex(host, r.id) : -1;
    if (!host || i === -1) throw new Error(`${file.path}: step ${r.id} is not a step of its host`);
    const s = host.steps[i]!;
    return { start: r.start, end: r.end, step: s.id, host: host.hostname, number: i + 1, title: s.title, origin: s.origin };
  }
  const found = index.items.get(r.id);
  if (found) return { start: r.start, end: r.end, item: found.it.id, where: found.it.where, phase: found.phase, origin: found.it.origin };
  throw new Error(`${file.path}: runbook item ${r.id} is not in the plan`);
}

/** The source map gathered file by file: `add` keeps only a file's line count, regions and
 * sections (never its content), `map`/`file` give the result. A file's line count and headings
 * are those its target recorded, or else found here in one walk over its text. */
export function sourceMapBuilder(plan: Plan) {
  const index = planIndex(plan);
  const mapped: SourceMapFile[] = [];
  // Headings repeat from host to host: each title is copied once.
  const titles = new Map<string, string>();
  const title = (s: string) => titles.get(s) ?? (titles.set(s, detached(s)), titles.get(s)!);
  const map = (): SourceMap => {
    mapped.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return { formatVersion: SOURCEMAP_FORMAT_VERSION, spec: { name: plan.specName, sha256: plan.specSha256 }, files: mapped };
  };
  return {
    add(f: RenderedFile): void {
      const kind = HEADINGS.find((h) => h.test(f.path));
      const regions = (f.regions ?? []).map((r) => region(index, f, r));
      if (!kind && !regions.length) return; // nothing of it to map
      let { lines, headings } = f;
      if (lines === undefined || (kind && !headings)) ({ lines, headings } = scanRendered(f.content, f.path, kind?.heading ?? null));
      const parts = kind && lines ? sections(headings!, lines, kind.first, title) : [];
      if (regions.length || parts.length) mapped.push({ path: f.path, lines, regions, sections: parts });
    },
    map,
    file: (): RenderedFile => ({ path: SOURCEMAP_PATH, content: render(map()), mode: 0o644 }),
  };
}

export function sourceMap(plan: Plan, files: readonly RenderedFile[]): SourceMap {
  const b = sourceMapBuilder(plan);
  for (const f of files) b.add(f);
  return b.map();
}

/** JSON with one region or section a line: short, and a golden diff shows what moved. */
function render(map: SourceMap): string {
  const list = (xs: readonly object[]) => (xs.length ? `[\n${xs.map((x) => `        ${JSON.stringify(x)}`).join(',\n')}\n      ]` : '[]');
  const files = map.files.map((f) => `    {\n      "path": ${JSON.stringify(f.path)},\n      "lines": ${f.lines},\n      "regions": ${list(f.regions)},\n      "sections": ${list(f.sections)}\n    }`);
  return `{\n  "formatVersion": ${map.formatVersion},\n  "spec": ${JSON.stringify(map.spec)},\n  "files": [\n${files.join(',\n')}\n  ]\n}\n`;
}

export function emitSourceMap(plan: Plan, files: readonly RenderedFile[]): RenderedFile {
  const b = sourceMapBuilder(plan);
  for (const f of files) b.add(f);
  return b.file();
}
