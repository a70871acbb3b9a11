// Region markers: how a target learns which lines of its output print which step or runbook item.
// A template puts `{{regionBegin "step" id}}` and `{{regionEnd}}` on lines of their own around
// what it prints for one step; the target then strips those lines (`stripRegions`) and keeps the
// line ranges for the source map. The marker is framed by U+001E, a control character no spec
// value can carry (the validate phase refuses them) and no template holds, so nothing else is
// ever taken for one; the id is hex-encoded, so HTML escaping cannot alter it.
import type { LineRegion } from '../../../model/bundle.js';

const RS = '\u001e';
const KINDS = new Set<LineRegion['kind']>(['step', 'item']);

const hex = (s: string) => Buffer.from(s, 'utf8').toString('hex');
const unhex = (s: string) => Buffer.from(s, 'hex').toString('utf8');

/** Template helper: the line that opens a region. */
export function regionBegin(kind: unknown, id: unknown): string {
  if (typeof kind !== 'string' || !KINDS.has(kind as LineRegion['kind'])) throw new Error(`regionBegin: unknown region kind ${String(kind)}`);
  if (typeof id !== 'string' || !id) throw new Error('regionBegin: expected an id');
  return `${RS}${kind}:${hex(id)}${RS}`;
}

/** Template helper: the line that closes the innermost open region. */
export function regionEnd(): string {
  return `${RS}/${RS}`;
}

const MARKER = new RegExp(`^${RS}(?:(step|item):([0-9a-f]+)|/)${RS}$`);

/** The text without its marker lines, and the regions they delimited (in order of their start).
 * A marker that is not a line of its own, or regions that do not pair up, are a template bug.
 * Markers are few (one pair per step or item) and a host script is long, so the text is scanned
 * from marker to marker and copied in slices, never split into lines. */
export function stripRegions(rendered: string, file: string): { content: string; regions: LineRegion[] } {
  if (!rendered.includes(RS)) return { content: rendered, regions: [] };
  const kept: string[] = [];
  const open: LineRegion[] = [];
  const regions: LineRegion[] = [];
  let from = 0; // start of the text not yet kept
  let line = 1; // the kept line `from` begins
  let lastLine = false;
  for (let at = rendered.indexOf(RS); at !== -1; at = rendered.indexOf(RS, from)) {
    const begin = rendered.lastIndexOf('\n', at) + 1;
    const nl = rendered.indexOf('\n', at);
    const end = nl === -1 ? rendered.length : nl;
    line += countLines(rendered, from, begin);
    const m = MARKER.exec(rendered.slice(begin, end));
    if (!m) throw new Error(`${file}: a region marker shares line ${line} with text`);
    if (m[1]) {
      const region: LineRegion = { kind: m[1] as LineRegion['kind'], id: unhex(m[2]!), start: line, end: 0 };
      open.push(region);
      regions.push(region);
    } else {
      const region = open.pop();
      if (!region) throw new Error(`${file}: a region ends at line ${line} that never began`);
      region.end = line - 1;
    }
    kept.push(rendered.slice(from, begin));
    from = nl === -1 ? rendered.length : nl + 1;
    lastLine = nl === -1;
  }
  kept.push(rendered.slice(from));
  if (open.length) throw new Error(`${file}: region ${open[0]!.kind} ${open[0]!.id} never ends`);
  const content = kept.join('');
  // A marker on the last line takes the newline before it along, as removing that line would.
  return { content: lastLine && content.endsWith('\n') ? content.slice(0, -1) : content, regions: regions.filter((r) => r.end >= r.start) };
}

/** Newlines in text[from, to). */
export function countLines(text: string, from = 0, to = text.length): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
