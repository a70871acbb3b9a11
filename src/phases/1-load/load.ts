// Phase 1: text → YAML document with positions. Syntax errors and duplicate keys are
// reported here, each with file:line:col and the YAML path of the place.
import { LineCounter, parseDocument, isMap, isSeq, isScalar, isPair, type Document, type Node, type Pair } from 'yaml';
import type { DiagnosticBag, Locator, Span, YamlPath } from '../../diagnostics/diagnostic.js';

export interface Loaded {
  /** Plain data of the document (aliases resolved), for schema validation. */
  data: unknown;
  locate: Locator;
}

export function load(text: string, bag: DiagnosticBag): Loaded | undefined {
  const lineCounter = new LineCounter();
  // uniqueKeys off: duplicates are found below with their YAML path, which the parser's own error lacks.
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false, version: '1.2', strict: true });
  const spanOf = (start: number, end: number): Span => {
    const a = lineCounter.linePos(start);
    const b = lineCounter.linePos(Math.max(start, end));
    return { line: a.line, col: a.col, endLine: b.line, endCol: b.col };
  };
  const locate = makeLocator(doc, spanOf, text);
  bag.locate = locate;

  for (const err of doc.errors) {
    const [start, end] = err.pos;
    const path = pathAtOffset(doc, start);
    if (err.code === 'MULTIPLE_DOCS') bag.addAt('yaml_multiple_documents', [], spanOf(start, end));
    else bag.addAt('yaml_syntax', path, spanOf(start, end), { detail: firstLine(err.message) });
  }
  if (doc.errors.length) return undefined;

  findDuplicateKeys(doc.contents, [], bag, spanOf);
  if (bag.errorCount) return undefined;

  const data: unknown = doc.toJS({ maxAliasCount: 100 });
  return { data, locate };
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

function findDuplicateKeys(node: unknown, path: YamlPath, bag: DiagnosticBag, spanOf: (s: number, e: number) => Span): void {
  if (isMap(node)) {
    const seen = new Map<string, Pair>();
    for (const pair of node.items) {
      const key = keyText(pair);
      const first = seen.get(key);
      const keyNode = pair.key as Node | null;
      if (first && keyNode?.range) {
        const firstKey = first.key as Node | null;
        const related = firstKey?.range
          ? [{ message: `first "${key}" here`, path: [...path, key], span: spanOf(firstKey.range[0], firstKey.range[1]) }]
          : [];
        bag.addAt('yaml_duplicate_key', [...path, key], spanOf(keyNode.range[0], keyNode.range[1]), { key }, related);
      } else if (!first) seen.set(key, pair);
      findDuplicateKeys(pair.value, [...path, key], bag, spanOf);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => findDuplicateKeys(item, [...path, i], bag, spanOf));
  }
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

function makeLocator(doc: Document, spanOf: (s: number, e: number) => Span, text: string): Locator {
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
