// Region markers: stripped to the last one, their line ranges exact, a misplaced one a loud bug.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countLines, regionBegin, regionEnd, scanRendered, stripRegions, verbatim, verbatimBlock } from './regions.js';

test('marker lines go, the lines between them are the region', () => {
  const text = ['head', regionBegin('step', 'pbx'), 'a', 'b', regionEnd(), 'tail', regionBegin('item', 'w=1&"x"'), 'c', regionEnd(), ''].join('\n');
  const { content, regions } = stripRegions(text, 'f');
  assert.equal(content, 'head\na\nb\ntail\nc\n');
  assert.deepEqual(regions, [
    { kind: 'step', id: 'pbx', start: 2, end: 3 },
    { kind: 'item', id: 'w=1&"x"', start: 5, end: 5 },
  ]);
});

test('the id survives HTML escaping: only hex digits and the frame are printed', () => {
  assert.match(regionBegin('item', '<a href="x">'), /^\u001eitem:[0-9a-f]+\u001e$/);
});

test('regions nest, and an empty one is dropped', () => {
  const text = [regionBegin('step', 'outer'), 'x', regionBegin('step', 'inner'), 'y', regionEnd(), regionBegin('item', 'empty'), regionEnd(), regionEnd()].join('\n');
  const { content, regions } = stripRegions(text, 'f');
  assert.equal(content, 'x\ny');
  assert.deepEqual(regions, [
    { kind: 'step', id: 'outer', start: 1, end: 2 },
    { kind: 'step', id: 'inner', start: 2, end: 2 },
  ]);
});

test('a marker inside a line, an unopened end or an unclosed region is a template bug', () => {
  assert.throws(() => stripRegions(`text ${regionBegin('step', 'a')}\n${regionEnd()}`, 'f'), /shares line 1 with text/);
  assert.throws(() => stripRegions(`a\n${regionEnd()}`, 'f'), /never began/);
  assert.throws(() => stripRegions(`${regionBegin('step', 'a')}\nb`, 'f'), /step a never ends/);
  assert.throws(() => regionBegin('section', 'a'), /unknown region kind/);
});

// scanRendered walks a file once for what stripRegions, the source map's line count and its
// heading scan each found in a walk of their own: the same answers, on every kind of text.
const RS = '\u001e';

/** The three walks scanRendered replaces, as they were (stripRegions, then the source map's line
 * count and heading scan over what it left). */
function reference(rendered: string, heading: RegExp) {
  const { content, regions } = oldStripRegions(rendered);
  const lines = content === '' ? 0 : countLines(content) + (content.endsWith('\n') ? 0 : 1);
  const headings: { line: number; title: string }[] = [];
  const plain = new RegExp(heading.source); // not sticky: tried on a line cut out
  let fenced = false;
  for (let i = 0, at = 0; at <= content.length && i < lines; i++) {
    const nl = content.indexOf('\n', at);
    const stop = nl === -1 ? content.length : nl;
    const c = content.charCodeAt(at);
    if (c === 0x60 || c === 0x23) {
      const line = content.slice(at, stop);
      if (line.startsWith('```')) fenced = !fenced;
      const m = fenced ? null : plain.exec(line);
      if (m) headings.push({ line: i + 1, title: m[1]! });
    }
    if (nl === -1) break;
    at = nl + 1;
  }
  return { content, regions, lines, headings };
}

const OLD_MARKER = new RegExp(`^${RS}(?:(step|item):([0-9a-f]+)|/)${RS}$`);

function oldStripRegions(rendered: string) {
  if (!rendered.includes(RS)) return { content: rendered, regions: [] };
  const kept: string[] = [];
  const open: { kind: 'step' | 'item'; id: string; start: number; end: number }[] = [];
  const regions: typeof open = [];
  let from = 0;
  let line = 1;
  let lastLine = false;
  for (let at = rendered.indexOf(RS); at !== -1; at = rendered.indexOf(RS, from)) {
    const begin = rendered.lastIndexOf('\n', at) + 1;
    const nl = rendered.indexOf('\n', at);
    const end = nl === -1 ? rendered.length : nl;
    line += countLines(rendered, from, begin);
    const m = OLD_MARKER.exec(rendered.slice(begin, end));
    if (!m) throw new Error('shares a line');
    if (m[1]) {
      const region = { kind: m[1] as 'step' | 'item', id: Buffer.from(m[2]!, 'hex').toString('utf8'), start: line, end: 0 };
      open.push(region);
      regions.push(region);
    } else {
      const region = open.pop();
      if (!region) throw new Error('never began');
      region.end = line - 1;
    }
    kept.push(rendered.slice(from, begin));
    from = nl === -1 ? rendered.length : nl + 1;
    lastLine = nl === -1;
  }
  kept.push(rendered.slice(from));
  if (open.length) throw new Error('never ends');
  const content = kept.join('');
  return { content: lastLine && content.endsWith('\n') ? content.slice(0, -1) : content, regions: regions.filter((r) => r.end >= r.start) };
}

const HEADING = /^# ---- (.+?) -+$/my;
const MD = /^#{1,3} (.+)$/my;

// A verbatim block: its marker line, and the text a reference walk sees in its place.
const BLOCK = verbatimBlock('lib', '# ---- the library ----\nf() { :; }\n\n# ---- more … of it ----\n', HEADING);
const BLOCKS = new Map([['lib', BLOCK]]);
const BLOCK_LINE = verbatim('lib');
const inlined = (text: string) => text.split(BLOCK_LINE + '\n').join(BLOCK.text).split(BLOCK_LINE).join(BLOCK.text);

/** What scanRendered found, against the reference walk over the text with its blocks in place:
 * the same, and where it put blocks back, the chunks are the content's bytes. */
function assertScanned(got: ReturnType<typeof scanRendered>, want: ReturnType<typeof reference>, what: string) {
  const { chunks, ...rest } = got;
  assert.deepEqual(rest, want, what);
  if (chunks) assert.ok(Buffer.concat(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c) : c))).equals(Buffer.from(got.content)), `${what}: chunks`);
}

test('scanRendered: the walks it replaces give the same content, regions, line count and headings', () => {
  const b = regionBegin('step', 'a');
  const e = regionEnd();
  const texts = [
    '',
    '\n',
    '\n\n',
    'no newline at the end',
    '# ---- only a heading ----',
    '# ---- heading ----\nbody\n',
    `# ---- heading ----\n${b}\n# ---- inside a region ----\nx\n${e}\n`,
    `${b}\nx\n${e}`, // marker on the last line, no newline after it
    `a\n\n${b}\n${e}`, // and an empty line before it
    `\n${b}\n${e}`,
    `${b}\n${e}\n`,
    `${b}\n${e}\n\n`,
    `x\n${b}\n${e}\ny`,
    '# ---- a ----\n# ---- b ----\nc\n# ---- d -------\n',
    '#not a heading\n# ---- no dashes after\n# ----  ----\n#\n',
    '```\n# ---- fenced ----\n```\n# ---- after the fence ----\n',
    '``not a fence\n# ---- heading ----\n',
    `# ---- h ----\n${regionBegin('item', 'i')}\n\`\`\`\n${e}\n# ---- fenced across a marker ----\n\`\`\`\n`,
    '## markdown\n### three\n#### four is not one\n',
    `héllo … ünïcode\n# ---- …title… ----\n${b}\n→\n${e}\n`,
  ];
  for (const text of texts) {
    for (const heading of [HEADING, MD]) {
      const got = scanRendered(text, 'f', heading);
      assert.deepEqual(got, reference(text, heading), JSON.stringify(text));
      assert.deepEqual(scanRendered(text, 'f', null), { ...got, headings: [] }, JSON.stringify(text));
    }
  }
});

test('scanRendered: any mix of lines, markers, blocks and headings, as the reference walks it', () => {
  const pieces = ['', 'x', 'x ' + RS + '/' + RS, '# ---- h ----', '## m', '```', RS + 'step:61' + RS, RS + '/' + RS, '#', ' # ---- not at the start ----', BLOCK_LINE];
  let seed = 7;
  const next = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 16) % pieces.length;
  let withRegions = 0;
  let withBlocks = 0;
  for (let n = 0; n < 3000; n++) {
    const lines = Array.from({ length: 1 + (n % 12) }, next).map((i) => pieces[i]!);
    if (n % 4 !== 0) balance(lines); // most texts are well formed, as templates make them
    const text = lines.join('\n') + (n % 3 === 0 ? '\n' : '');
    let want: ReturnType<typeof reference> | Error;
    try {
      want = reference(inlined(text), HEADING);
    } catch (err) {
      want = err as Error;
    }
    if (want instanceof Error) assert.throws(() => scanRendered(text, 'f', HEADING, BLOCKS), JSON.stringify(text));
    else assertScanned(scanRendered(text, 'f', HEADING, BLOCKS), want, JSON.stringify(text));
    if (!(want instanceof Error) && want.regions.length) withRegions++;
    if (!(want instanceof Error) && text.includes(BLOCK_LINE)) withBlocks++;
  }
  assert.ok(withRegions > 300, `only ${withRegions} texts with regions`);
  assert.ok(withBlocks > 300, `only ${withBlocks} texts with blocks`);
});

/** A text's lines made well formed: no marker within a line, no end without its begin, every
 * region closed at the end. */
function balance(lines: string[]): void {
  const begin = RS + 'step:61' + RS;
  const end = RS + '/' + RS;
  let open = 0;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l === begin) open++;
    else if (l === end && open > 0) open--;
    else if (l.includes(RS) && l !== BLOCK_LINE) lines.splice(i--, 1);
  }
  for (; open > 0; open--) lines.push(end);
}

test('scanRendered: a verbatim block is put back as its text, its lines and headings counted in place', () => {
  const texts = [
    BLOCK_LINE,
    `${BLOCK_LINE}\n`,
    `head\n${BLOCK_LINE}\ntail`,
    `# ---- head ----\n${BLOCK_LINE}\n${regionBegin('step', 'a')}\nx\n${BLOCK_LINE}\n${regionEnd()}`, // a block in a region; a marker last
    `${BLOCK_LINE}\n${regionBegin('step', 'a')}\n${regionEnd()}`, // the block's last newline taken along
    `\`\`\`\n${BLOCK_LINE}\n\`\`\`\n`, // in a code fence: no headings
  ];
  for (const text of texts) {
    const got = scanRendered(text, 'f', HEADING, BLOCKS);
    assertScanned(got, reference(inlined(text), HEADING), JSON.stringify(text));
    assert.ok(got.chunks?.some((c) => typeof c !== 'string'), `${JSON.stringify(text)}: the block's bytes`);
  }
  assert.equal(scanRendered('no block\n', 'f', HEADING, BLOCKS).chunks, undefined);
});

test('a verbatim block is whole lines without markers or fences, and must be given with the same headings', () => {
  assert.throws(() => verbatimBlock('b', 'no newline', HEADING), /whole lines/);
  assert.throws(() => verbatimBlock('b', `${regionEnd()}\n`, HEADING), /whole lines/);
  assert.throws(() => verbatimBlock('b', 'a\n```\n', HEADING), /whole lines/);
  assert.throws(() => scanRendered(`${BLOCK_LINE}\n`, 'f', HEADING), /verbatim block lib is not given/);
  assert.throws(() => scanRendered(`${BLOCK_LINE}\n`, 'f', MD, BLOCKS), /verbatim block lib is not given/);
});

test('scanRendered: a heading pattern must be sticky and multiline (it is tried in place)', () => {
  assert.throws(() => scanRendered('# ---- a ----', 'f', /^# ---- (.+?) -+$/), /sticky and multiline/);
});
