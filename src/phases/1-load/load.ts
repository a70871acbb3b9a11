// Phase 1: bytes or text → YAML document with positions. Everything the YAML layer can get wrong
// is reported here, each with file:line:col and the YAML path of the place: bytes that are not
// UTF-8, syntax errors, nesting deeper than any spec needs (checked on the parser's flat token
// tree before anything recursive runs), tags, keys that are not plain names, duplicate keys,
// aliases without an anchor, aliases that contain themselves or expand without bound
// ("billion laughs"), and a file with no document at all. The `yaml` library never prints:
// its warnings become diagnostics like everything else.
import { CST, Composer, Lexer, LineCounter, Parser, isAlias, isMap, isScalar, isSeq, isPair, type Alias, type Document, type Node, type Pair } from 'yaml';
import type { DiagnosticBag, Locator, Span, YamlPath } from '../../diagnostics/diagnostic.js';
import { decodeSpec, type SpecInput } from './decode.js';

/** Deepest nesting of lists and mappings a spec may have; the format itself needs 5. */
export const MAX_DEPTH = 64;
/** Most values that aliases may add to the document when expanded. Anchors for shared blocks
 * (one hardware block on 1,000 servers) stay far below; an alias bomb reaches it at once. */
export const MAX_ALIAS_NODES = 10_000;

export interface Loaded {
  /** Plain data of the document (aliases resolved), for schema validation. */
  data: unknown;
  locate: Locator;
}

type SpanOf = (start: number, end: number) => Span;

export function load(input: SpecInput, bag: DiagnosticBag): Loaded | undefined {
  const decoded = decodeSpec(input);
  if ('bad' in decoded) {
    const { line, col, detail } = decoded.bad;
    bag.addAt('yaml_invalid_utf8', [], { line, col, endLine: line, endCol: col + 1 }, { detail });
    return undefined;
  }
  const text = decoded.text;
  const lineCounter = new LineCounter();
  const spanOf: SpanOf = (start, end) => {
    const a = lineCounter.linePos(start);
    const b = lineCounter.linePos(Math.max(start, end));
    return { line: a.line, col: a.col, endLine: b.line, endCol: b.col };
  };

  // The parser builds its token tree without recursion; the composer and every walk after it
  // recurse, so the depth is checked here first.
  const parsed = parseBounded(text, lineCounter);
  const deep = 'deep' in parsed ? parsed.deep : firstTooDeep(parsed.tokens);
  if (deep !== undefined) {
    bag.addAt('yaml_too_deep', [], spanOf(deep, deep + 1), { limit: MAX_DEPTH });
    return undefined;
  }

  // uniqueKeys off: duplicates are found below with their YAML path, which the parser's own error
  // lacks. logLevel 'error': the library's warnings are reported below, never printed by it.
  const composer = new Composer({ uniqueKeys: false, version: '1.2', strict: true, logLevel: 'error' });
  let doc: Document.Parsed | undefined;
  let second: Document.Parsed | undefined;
  for (const d of composer.compose((parsed as { tokens: CST.Token[] }).tokens, true, text.length)) {
    if (!doc) doc = d;
    else {
      second = d;
      break;
    }
  }
  if (!doc) return undefined; // compose(…, forceDoc) always yields one
  const locate = makeLocator(doc, spanOf, text);
  bag.locate = locate;

  for (const err of doc.errors) {
    const [start, end] = err.pos;
    bag.addAt('yaml_syntax', pathAtOffset(doc, start), spanOf(start, end), { detail: firstLine(err.message) });
  }
  if (second) bag.addAt('yaml_multiple_documents', [], spanOf(second.range[0], second.range[1]));
  if (bag.errorCount) return undefined;
  const tagsReported = new Set<number>();
  for (const w of doc.warnings) {
    const [start, end] = w.pos;
    const path = pathAtOffset(doc, start);
    if (w.code === 'TAG_RESOLVE_FAILED' || w.code === 'BAD_COLLECTION_TYPE') {
      bag.addAt('yaml_tag_unsupported', path, spanOf(start, end), { tag: text.slice(start, end) || '?' });
      tagsReported.add(start);
    } else {
      bag.addAt('yaml_syntax', path, spanOf(start, end), { detail: firstLine(w.message) });
    }
  }

  const c = doc.contents;
  if (c === null || (isScalar(c) && c.value === null && !c.tag && !c.anchor && c.range?.[0] === c.range?.[1])) {
    const what = text.trim() === '' ? 'is empty' : /^(\s*(#.*)?(\r?\n|$))*$/.test(text) ? 'holds only comments' : 'holds no value';
    bag.addAt('yaml_document_empty', [], { line: 1, col: 1, endLine: 1, endCol: 2 }, { what });
    return undefined;
  }

  new Structure(bag, spanOf, text, tagsReported).walk(doc.contents, [], 0);
  if (bag.errorCount) return undefined;

  // Every alias is known to resolve, without a cycle, within the size and depth limits: the
  // library's own alias limit (which throws) is not needed.
  const data: unknown = doc.toJS({ maxAliasCount: -1 });
  return { data, locate };
}

/**
 * The token tree of the text, as `Parser.parse` builds it, but fed lexeme by lexeme so that a
 * run of flow brackets deeper than MAX_DEPTH stops it at once: the parser is the slow part, and
 * 100,000 `[` would otherwise cost it seconds. Flow brackets alone are a lower bound of the
 * depth, so this never refuses what firstTooDeep would accept.
 */
function parseBounded(text: string, lineCounter: LineCounter): { tokens: CST.Token[] } | { deep: number } {
  const parser = new Parser(lineCounter.addNewLine);
  lineCounter.addNewLine(0); // as Parser.parse does
  const tokens: CST.Token[] = [];
  let flow = 0;
  let scalarNext = false; // the lexeme after a scalar marker is the scalar's own text
  for (const lexeme of new Lexer().lex(text)) {
    if (scalarNext) scalarNext = false;
    else {
      const type = CST.tokenType(lexeme);
      if (type === 'scalar') scalarNext = true;
      else if (type === 'flow-map-start' || type === 'flow-seq-start') {
        if (++flow > MAX_DEPTH) return { deep: parser.offset };
      } else if (type === 'flow-map-end' || type === 'flow-seq-end') flow = Math.max(0, flow - 1);
    }
    for (const t of parser.next(lexeme)) tokens.push(t);
  }
  for (const t of parser.end()) tokens.push(t);
  return { tokens };
}

/** Offset of the first list or mapping nested deeper than MAX_DEPTH, found without recursion. */
function firstTooDeep(tokens: CST.Token[]): number | undefined {
  let first: number | undefined;
  const stack: [CST.Token, number][] = tokens.map((t) => [t, 0]);
  while (stack.length) {
    const [t, depth] = stack.pop()!;
    if (t.type === 'document') {
      if (t.value) stack.push([t.value, depth]);
    } else if (t.type === 'block-map' || t.type === 'block-seq' || t.type === 'flow-collection') {
      if (depth + 1 > MAX_DEPTH) {
        if (first === undefined || t.offset < first) first = t.offset;
        continue;
      }
      for (const item of t.items) {
        if (item.key) stack.push([item.key, depth + 1]);
        if (item.value) stack.push([item.value, depth + 1]);
      }
    }
  }
  return first;
}

/** What a node becomes when its aliases are expanded: how many values, how deeply nested. */
interface Expanded {
  size: number;
  depth: number;
}

const NOTHING: Expanded = { size: 0, depth: 0 };

/** The tags of YAML 1.2's core schema, and `!` (a plain string); every other tag is refused. */
const STANDARD_TAGS = new Set(['!', ...['str', 'int', 'float', 'bool', 'null', 'seq', 'map'].map((t) => `tag:yaml.org,2002:${t}`)]);

/**
 * One walk over the composed document (its depth is bounded by MAX_DEPTH, so recursion is safe)
 * that checks what the YAML layer allows but a spec must not hold. Anchors are taken in document
 * order, the way the library resolves them; an alias's expansion is known once its anchor's node
 * has been walked, so the whole check is linear in the size of the text.
 */
class Structure {
  private readonly anchors = new Map<string, Node>();
  private readonly expanded = new Map<Node, Expanded>();
  private aliasNodes = 0;
  private bombed = false;

  constructor(
    private readonly bag: DiagnosticBag,
    private readonly spanOf: SpanOf,
    private readonly text: string,
    /** Offsets of tags the library already warned about. */
    private readonly tagsReported: Set<number>,
  ) {}

  /** A tag the library resolves but a spec cannot hold (`!!binary`, `!!set`, `!!timestamp`,
   * `!!omap`…): reported at the tag, which stands before the node's own range. */
  private tag(n: Node, path: YamlPath): void {
    if (!n.tag || STANDARD_TAGS.has(n.tag) || !n.range) return;
    let at = this.text.lastIndexOf('!', n.range[0]);
    if (at > 0 && this.text[at - 1] === '!') at--; // the `!!` of a shorthand tag
    if (at >= 0 && this.tagsReported.has(at)) return;
    const source = at >= 0 ? /^\S+/.exec(this.text.slice(at, at + 1024))![0] : n.tag;
    this.bag.addAt('yaml_tag_unsupported', path, at >= 0 ? this.spanOf(at, at + source.length) : this.nodeSpan(n), { tag: source });
  }

  walk(node: unknown, path: YamlPath, depth: number): Expanded {
    if (node === null || node === undefined) return NOTHING;
    if (isAlias(node)) return this.alias(node, path, depth);
    const n = node as Node;
    if (n.anchor) this.anchors.set(n.anchor, n);
    this.tag(n, path);
    let result: Expanded;
    if (isMap(n)) {
      result = { size: 1, depth: 1 };
      const seen = new Map<string, Pair>();
      for (const pair of n.items) {
        const keyNode = pair.key as Node | null;
        let key = keyText(pair);
        if (keyNode && !isScalar(keyNode)) {
          const kind = isAlias(keyNode) ? 'an alias' : isSeq(keyNode) ? 'a list' : isMap(keyNode) ? 'a mapping' : 'a value that is no name';
          this.bag.addAt('yaml_key_not_scalar', path, this.nodeSpan(keyNode), { kind });
          key = '?';
        } else {
          const first = seen.get(key);
          if (first && keyNode?.range) {
            const firstKey = first.key as Node | null;
            const related = firstKey?.range
              ? [{ message: `first "${key}" here`, path: [...path, key], span: this.spanOf(firstKey.range[0], firstKey.range[1]) }]
              : [];
            this.bag.addAt('yaml_duplicate_key', [...path, key], this.spanOf(keyNode.range[0], keyNode.range[1]), { key }, related);
          } else if (!first) seen.set(key, pair);
        }
        const k = this.walk(pair.key, [...path, key], depth + 1);
        const v = this.walk(pair.value, [...path, key], depth + 1);
        result = { size: result.size + k.size + v.size, depth: Math.max(result.depth, 1 + k.depth, 1 + v.depth) };
      }
    } else if (isSeq(n)) {
      result = { size: 1, depth: 1 };
      n.items.forEach((item, i) => {
        const v = this.walk(item, [...path, i], depth + 1);
        result = { size: result.size + v.size, depth: Math.max(result.depth, 1 + v.depth) };
      });
    } else {
      result = { size: 1, depth: 0 };
    }
    this.expanded.set(n, result);
    return result;
  }

  private alias(node: Alias, path: YamlPath, depth: number): Expanded {
    const span = this.nodeSpan(node);
    const target = this.anchors.get(node.source);
    if (!target) {
      this.bag.addAt('yaml_alias_undefined', path, span, { name: node.source });
      return NOTHING;
    }
    const shape = this.expanded.get(target);
    if (!shape) {
      // The anchor's node is still being walked: the alias sits inside what it names.
      this.bag.addAt('yaml_alias_cycle', path, span, { name: node.source });
      return NOTHING;
    }
    if (this.bombed) return shape;
    if (depth + shape.depth > MAX_DEPTH) {
      this.bag.addAt('yaml_too_deep', path, span, { limit: MAX_DEPTH });
      this.bombed = true;
      return shape;
    }
    this.aliasNodes += shape.size;
    if (this.aliasNodes > MAX_ALIAS_NODES) {
      this.bag.addAt('yaml_alias_limit', path, span, { name: node.source, limit: MAX_ALIAS_NODES.toLocaleString('en-US') });
      this.bombed = true;
    }
    return shape;
  }

  /** A node's span; a collection spans many lines, so its first line only. */
  private nodeSpan(node: Node): Span | undefined {
    const r = node.range;
    if (!r) return undefined;
    if (isMap(node) || isSeq(node)) {
      const start = this.spanOf(r[0], r[0]);
      const nl = this.text.indexOf('\n', r[0]);
      const lineEnd = nl === -1 ? r[1] : Math.min(nl, r[1]);
      return { ...start, endLine: start.line, endCol: start.col + Math.max(1, lineEnd - r[0]) };
    }
    return this.spanOf(r[0], r[1]);
  }
}

function firstLine(message: string): string {
  const line = message.split('\n')[0] ?? message;
  return line.replace(/ at line \d+, column \d+:?$/, '').trim();
}

function keyText(pair: Pair): string {
  const k = pair.key as unknown;
  if (isScalar(k)) return String(k.value);
  return String(k);
}

/** The deepest YAML path whose node contains `offset`; used to name the place of a syntax error. */
function pathAtOffset(doc: Document, offset: number): YamlPath {
  const path: YamlPath = [];
  let node: unknown = doc.contents;
  for (;;) {
    let next: unknown;
    if (isMap(node)) {
      for (const pair of node.items) {
        const k = pair.key as Node | null;
        const v = pair.value as Node | null;
        const start = k?.range?.[0] ?? v?.range?.[0];
        const end = v?.range?.[2] ?? k?.range?.[2];
        if (start !== undefined && end !== undefined && offset >= start && offset <= end) {
          path.push(keyText(pair));
          next = v;
          break;
        }
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        const r = (item as Node | null)?.range;
        if (next === undefined && r && offset >= r[0] && offset <= r[2]) {
          path.push(i);
          next = item;
        }
      });
    }
    if (next === undefined || next === null) return path;
    node = next;
  }
}

function makeLocator(doc: Document, spanOf: SpanOf, text: string): Locator {
  return (path, opts) => {
    let node: unknown = doc.contents;
    let keyNode: Node | null = null;
    let best: Node | null = (node as Node | null) ?? null;
    for (const seg of path) {
      keyNode = null;
      let next: unknown;
      if (isMap(node)) {
        const pair = node.items.find((p) => keyText(p) === String(seg));
        if (pair) {
          keyNode = pair.key as Node;
          next = pair.value ?? pair.key;
        }
      } else if (isSeq(node) && typeof seg === 'number') {
        next = node.items[seg];
      } else if (isPair(node)) {
        next = node.value;
      }
      if (next === undefined || next === null) {
        // Path leads past the document (a missing key): point at the deepest existing node's key.
        return best?.range ? spanOf(best.range[0], best.range[1]) : undefined;
      }
      node = next;
      best = (keyNode ?? next) as Node;
      if (!opts?.key) best = next as Node;
    }
    const target = opts?.key && keyNode ? keyNode : (node as Node | null);
    const r = target?.range;
    if (!r) return undefined;
    // A collection spans many lines; point at its first line only.
    if (isMap(target) || isSeq(target)) {
      const startPos = spanOf(r[0], r[0]);
      const nl = text.indexOf('\n', r[0]);
      const lineEnd = nl === -1 ? r[1] : Math.min(nl, r[1]);
      return { ...startPos, endLine: startPos.line, endCol: startPos.col + Math.max(1, lineEnd - r[0]) };
    }
    return spanOf(r[0], r[1]);
  };
}
