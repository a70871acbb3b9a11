// Reading sourcemap.json back: which step or runbook item prints a line of a generated file, and
// what a line outside them is. `pbxplan trace` is this plus the file system; the coverage test
// uses it on every golden line.
import type { SourceMap, SourceMapFile, SourceMapItem, SourceMapSection, SourceMapStep } from './index.js';
import { SOURCEMAP_FORMAT_VERSION } from './index.js';

export type TraceResult =
  | { kind: 'region'; file: SourceMapFile; region: SourceMapStep | SourceMapItem }
  | { kind: 'outside'; file: SourceMapFile; section: SourceMapSection | null }
  | { kind: 'beyond'; file: SourceMapFile }
  | { kind: 'unmapped' };

/** The parsed map, or why the text is not one (a damaged or foreign file). */
export function parseSourceMap(text: string): SourceMap | string {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return 'it is not JSON';
  }
  const m = data as Partial<SourceMap> | null;
  if (!m || typeof m !== 'object' || !Array.isArray(m.files) || !m.spec || typeof m.spec.name !== 'string' || typeof m.spec.sha256 !== 'string') return 'it is not a pbxplan source map';
  if (m.formatVersion !== SOURCEMAP_FORMAT_VERSION) return `its formatVersion is ${String(m.formatVersion)}, this pbxplan reads ${SOURCEMAP_FORMAT_VERSION}`;
  const wellFormed = m.files.every((f) => f && typeof f.path === 'string' && Number.isInteger(f.lines) && Array.isArray(f.regions) && Array.isArray(f.sections));
  return wellFormed ? (m as SourceMap) : 'its file list is damaged';
}

const within = (r: { start: number; end: number }, line: number) => r.start <= line && line <= r.end;

/** What prints line `line` (1-based) of the bundle file `path`: the innermost region holding it. */
export function traceLine(map: SourceMap, path: string, line: number): TraceResult {
  const file = map.files.find((f) => f.path === path);
  if (!file) return { kind: 'unmapped' };
  if (line < 1 || line > file.lines) return { kind: 'beyond', file };
  const holding = file.regions.filter((r) => within(r, line)).sort((a, b) => a.end - a.start - (b.end - b.start));
  if (holding[0]) return { kind: 'region', file, region: holding[0] };
  return { kind: 'outside', file, section: file.sections.find((s) => within(s, line)) ?? null };
}

export const isStepRegion = (r: SourceMapStep | SourceMapItem): r is SourceMapStep => 'step' in r;

/** A region in words: `step 2 "pbx" of host pbx-main (…)` or `runbook item "wizard" (…)`. */
export function describeRegion(r: SourceMapStep | SourceMapItem): string {
  return isStepRegion(r) ? `step ${r.number} "${r.step}" of host ${r.host}: ${r.title}` : `runbook item "${r.item}" (${r.where}), phase ${r.phase}`;
}

/** What the lines outside every step of a host script are, by the heading above them. */
export function describeSection(path: string, s: SourceMapSection | null): string {
  if (!s) return 'not in any step or runbook item';
  if (!path.endsWith('.sh')) return `in the section "${s.title}", not in a runbook item`;
  if (s.title === 'banner') return 'in the banner (the generated-by notice, usage and shell options)';
  if (/^values from the spec/.test(s.title)) return 'in the values from the spec (the script\'s constants)';
  if (/^(preflight|bundle integrity)/.test(s.title)) return `in the preflight ("${s.title}"), which runs before any step`;
  if (/^the run\b/.test(s.title)) return 'in the run itself (main: the secrets, then every step in order)';
  if (s.title === 'steps') return 'between steps';
  return `in the script's library ("${s.title}"), which every step shares`;
}

/** Lines that hold a step or an item in the file: where a caller can point instead. */
export function regionSpan(file: SourceMapFile): { start: number; end: number } | null {
  if (!file.regions.length) return null;
  return { start: Math.min(...file.regions.map((r) => r.start)), end: Math.max(...file.regions.map((r) => r.end)) };
}
