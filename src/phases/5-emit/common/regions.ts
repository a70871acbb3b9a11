// Region markers: how a target learns which lines of its output print which step or runbook item.
// A template puts `{{regionBegin "step" id}}` and `{{regionEnd}}` on lines of their own around
// what it prints for one step; the target then strips those lines (`stripRegions`) and keeps the
// line ranges for the source map. The marker is framed by U+001E, a control character no spec
// value can carry (the validate phase refuses them) and no template holds, so nothing else is
// ever taken for one; the id is hex-encoded, so HTML escaping cannot alter it. A third marker
// stands for a verbatim block (below): a text many files share, put back by the same walk.
import type { Heading, LineRegion } from '../../../model/bundle.js';

const RS = '\u001e';
const KINDS = new Set<LineRegion['kind']>(['step', 'item']);

// A bundle marks the same few hundred ids on every host: each is encoded once (the caches are
// emptied when they grow past any one bundle's ids, so a long-lived process stays small).
const hexed = new Map<string, string>();
const unhexed = new Map<string, string>();
const CACHE_LIMIT = 10_000;
function cached(cache: Map<string, string>, key: string, encode: (s: string) => string): string {
  let value = cache.get(key);
  if (value === undefined) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    value = encode(key);
    cache.set(key, value);
  }
  return value;
}
const hex = (s: string) => cached(hexed, s, (k) => Buffer.from(k, 'utf8').toString('hex'));
const unhex = (s: string) => cached(unhexed, s, (k) => Buffer.from(k, 'hex').toString('utf8'));

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

const MARKER = new RegExp(`^${RS}(?:(step|item):([0-9a-f]+)|/|block:([0-9a-f]+))${RS}$`);

/** A text many files hold unchanged (every host script: the shell library), walked and encoded
 * once: a template prints `{{verbatim "name"}}` on a line of its own in its place, and
 * `scanRendered` puts the text back, its lines and headings already counted, its bytes already
 * UTF-8. */
export interface VerbatimBlock {
  name: string;
  heading: RegExp | null; // what its headings were found by
  text: string;
  bytes: Uint8Array;
  newlines: number;
  headings: Heading[];
}

/** The block of `text` (whole lines, no marker, no code fence), its headings found by `heading`. */
export function verbatimBlock(name: string, text: string, heading: RegExp | null): VerbatimBlock {
  if (!text.endsWith('\n') || text.includes(RS) || text.includes('\n```') || text.startsWith('```')) {
    throw new Error(`verbatim block ${name}: whole lines without markers or code fences expected`);
  }
  const { lines, headings } = scanRendered(text, name, heading);
  return { name, heading, text, bytes: Buffer.from(text, 'utf8'), newlines: lines, headings };
}

/** Template helper: the line that stands for the verbatim block named `name`. */
export function verbatim(name: unknown): string {
  if (typeof name !== 'string' || !name) throw new Error('verbatim: expected a block name');
  return `${RS}block:${hex(name)}${RS}`;
}

/** The headings that open a part of a file (what comes before the first one is the banner): a
 * script's `# ---- title ----`, RUNBOOK.md's `## title`. Sticky and multiline: `scanRendered`
 * tries one where a line starts, in the whole text, without cutting the line out first. */
export const SCRIPT_HEADING = /^# ---- (.+?) -+$/my;
export const MARKDOWN_HEADING = /^#{1,3} (.+)$/my;

/** What one walk over a rendered file finds: the text without its marker lines, the regions they
 * delimited (in order of their start), the number of lines and the headings of the text left;
 * with verbatim blocks put back, the text in its pieces too (each block's as its bytes). */
export interface ScannedText {
  content: string;
  regions: LineRegion[];
  lines: number;
  headings: Heading[];
  chunks?: (string | Uint8Array)[];
}

/** The text without its marker lines, and the regions they delimited (in order of their start).
 * A marker that is not a line of its own, or regions that do not pair up, are a template bug. */
export function stripRegions(rendered: string, file: string): { content: string; regions: LineRegion[] } {
  const { content, regions } = scanRendered(rendered, file, null);
  return { content, regions };
}

const NL = 0x0a;
const HASH = 0x23;
const BACKTICK = 0x60;

/** One walk over the lines of a rendered file (a host script is a thousand lines, a bundle a
 * million, so each is looked at once): its marker lines stripped, as `stripRegions` says, its
 * lines counted and the lines `heading` matches kept as headings (with their line in the text
 * left); a line that starts a Markdown code fence (```) toggles a block whose lines are never
 * headings. Only lines that start with `#`, a backquote or a marker are read further; the text is
 * copied in slices between the markers, never split into lines. A heading's title is a slice of
 * `rendered`: whoever keeps it beyond the file copies it. */
export function scanRendered(rendered: string, file: string, heading: RegExp | null, blocks?: ReadonlyMap<string, VerbatimBlock>): ScannedText {
  if (heading && !(heading.sticky && heading.multiline)) throw new Error(`scanRendered: heading ${String(heading)} must be sticky and multiline`);
  const walk = new Walk(rendered, file, heading, blocks);
  walk.run();
  return walk.result();
}

/** The state of one `scanRendered` walk. Its rare parts (a marker line, the result) are methods
 * of their own, so the loop over the lines keeps its optimised code when one of them is first
 * met (inline, each first verbatim block sent the whole function back to the interpreter). */
class Walk {
  readonly kept: (string | VerbatimBlock)[] = [];
  readonly open: LineRegion[] = [];
  readonly regions: LineRegion[] = [];
  readonly headings: Heading[] = [];
  fenced = false;
  from = 0; // start of the text not yet kept
  line = 1; // the line of the text left that the line at `at` is (or would be)
  marker: number; // the next marker character (or the end): its line must be a marker
  lastIsMarker = false;

  constructor(
    readonly rendered: string,
    readonly file: string,
    readonly heading: RegExp | null,
    readonly blocks: ReadonlyMap<string, VerbatimBlock> | undefined,
  ) {
    this.marker = this.nextMarker(0);
  }

  nextMarker(from: number): number {
    const at = this.rendered.indexOf(RS, from);
    return at === -1 ? this.rendered.length : at;
  }

  run(): void {
    const { rendered, heading } = this;
    const length = rendered.length;
    for (let at = 0, nl = 0; at < length; at = nl + 1) {
      nl = rendered.indexOf('\n', at);
      if (nl === -1) nl = length;
      if (this.marker < nl) {
        this.markerLine(at, nl);
        continue;
      }
      if (heading !== null) {
        const c = rendered.charCodeAt(at);
        if (c === HASH || c === BACKTICK) this.headingLine(at, c, heading);
      }
      this.line++;
    }
  }

  headingLine(at: number, c: number, heading: RegExp): void {
    if (c === BACKTICK && this.rendered.startsWith('```', at)) this.fenced = !this.fenced;
    heading.lastIndex = at;
    const h = this.fenced ? null : heading.exec(this.rendered);
    if (h) this.headings.push({ line: this.line, title: h[1]! });
  }

  /** The line [at, nl) holds a marker: it must be the marker alone. */
  markerLine(at: number, nl: number): void {
    const { rendered, file } = this;
    const length = rendered.length;
    const m = MARKER.exec(rendered.slice(at, nl));
    if (!m) throw new Error(`${file}: a region marker shares line ${this.line} with text`);
    if (at > this.from) this.kept.push(rendered.slice(this.from, at));
    this.from = Math.min(nl + 1, length);
    this.marker = this.nextMarker(this.from);
    if (m[3]) {
      const name = unhex(m[3]);
      const block = this.blocks?.get(name);
      if (!block || block.heading !== this.heading) throw new Error(`${file}: verbatim block ${name} is not given (with these headings)`);
      this.kept.push(block);
      if (!this.fenced) for (const h of block.headings) this.headings.push({ line: this.line - 1 + h.line, title: h.title });
      this.line += block.newlines;
      this.lastIsMarker = false;
      return;
    }
    if (m[1]) {
      const region: LineRegion = { kind: m[1] as LineRegion['kind'], id: unhex(m[2]!), start: this.line, end: 0 };
      this.open.push(region);
      this.regions.push(region);
    } else {
      const region = this.open.pop();
      if (!region) throw new Error(`${file}: a region ends at line ${this.line} that never began`);
      region.end = this.line - 1;
    }
    this.lastIsMarker = nl === length;
  }

  result(): ScannedText {
    const { rendered, file, kept, open, from, lastIsMarker, line } = this;
    const length = rendered.length;
    if (open.length) throw new Error(`${file}: region ${open[0]!.kind} ${open[0]!.id} never ends`);
    if (from < length) kept.push(rendered.slice(from));
    // With verbatim blocks, the pieces are joined without a copy (the bundle reads them one by one).
    const spliced = kept.some((k) => typeof k !== 'string');
    let content = from === 0 ? rendered : spliced ? kept.reduce<string>((text, k) => text + (typeof k === 'string' ? k : k.text), '') : (kept as string[]).join('');
    // A marker on the last line takes the newline before it along, as removing that line would.
    const trimmed = lastIsMarker && content.charCodeAt(content.length - 1) === NL;
    if (trimmed) content = content.slice(0, -1);
    // The lines walked, but an empty last one that a newline no longer follows is no line.
    const lines = content === '' ? 0 : lastIsMarker && content.charCodeAt(content.length - 1) === NL ? line - 2 : line - 1;
    const scanned: ScannedText = { content, regions: this.regions.filter((r) => r.end >= r.start), lines, headings: this.headings };
    if (spliced) {
      const chunks = kept.map((k) => (typeof k === 'string' ? k : k.bytes));
      if (trimmed) {
        // The newline the content lost ends its last piece (no piece is empty).
        const last = chunks.pop()!;
        chunks.push(typeof last === 'string' ? last.slice(0, -1) : last.subarray(0, last.length - 1));
      }
      scanned.chunks = chunks;
    }
    return scanned;
  }
}

/** Newlines in text[from, to). */
export function countLines(text: string, from = 0, to = text.length): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
