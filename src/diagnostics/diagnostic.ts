import { CODES, type Code, fill } from './codes.js';
import { safeText } from './safe-text.js';

export type YamlPath = (string | number)[];

/** 1-based line and column; end is exclusive. */
export interface Span {
  line: number;
  col: number;
  endLine: number;
  endCol: number;
}

export interface Related {
  message: string;
  path: YamlPath;
  span?: Span;
}

/** The waiver that accepted a warning (3-check/waivers.ts): the spec's words, verbatim. */
export interface Acceptance {
  waiver: number; // index in spec.waivers
  reason: string;
  approvedBy: string;
  expires: string; // YYYY-MM-DD, inclusive
  span?: Span; // where the waiver is written
}

export interface Diagnostic {
  code: Code;
  severity: 'error' | 'warning';
  message: string;
  path: YamlPath;
  span?: Span;
  hint?: string;
  related?: Related[];
  /** Set on a warning a waiver accepted: it stays visible but no longer counts as a warning. */
  accepted?: Acceptance;
}

/** Turns a YAML path into a source span; `key` asks for the key node instead of the value. */
export type Locator = (path: YamlPath, opts?: { key?: boolean }) => Span | undefined;

export type Args = Record<string, string | number>;

export interface RelatedInput {
  message: string;
  path: YamlPath;
}

/**
 * Collects diagnostics for one run. Phases push into it; text comes from the catalog only.
 * Holds the locator so that a phase names a YAML path and never computes positions itself.
 */
export class DiagnosticBag {
  readonly items: Diagnostic[] = [];
  locate: Locator = () => undefined;

  add(code: Code, path: YamlPath, args: Args = {}, opts: { key?: boolean; related?: RelatedInput[]; hintArgs?: Args } = {}): void {
    const related = (opts.related ?? []).map((r) => {
      const rs = this.locate(r.path);
      return { message: r.message, path: r.path, ...(rs ? { span: rs } : {}) };
    });
    this.addAt(code, path, this.locate(path, { key: opts.key ?? false }), args, related, opts.hintArgs);
  }

  /** For diagnostics whose position is known directly (YAML syntax errors). Messages come from
   * the catalog through `fill`; a related note is built by the rule, so it is made safe here. */
  addAt(code: Code, path: YamlPath, span: Span | undefined, args: Args = {}, related?: Related[], hintArgs: Args = {}): void {
    const entry = CODES[code];
    related = related?.map((r) => ({ ...r, message: safeText(r.message) }));
    this.items.push({
      code,
      severity: entry.severity,
      message: fill(entry.message, args),
      path,
      ...(span ? { span } : {}),
      hint: fill(entry.hint, { ...args, ...hintArgs }),
      ...(related?.length ? { related } : {}),
    });
  }

  get errorCount(): number {
    return this.items.filter((d) => d.severity === 'error').length;
  }

  /** Warnings no waiver accepted: what --strict refuses. */
  get warningCount(): number {
    return this.items.filter((d) => d.severity === 'warning' && !d.accepted).length;
  }

  get acceptedCount(): number {
    return this.items.filter((d) => d.accepted).length;
  }

  /** Errors stop the pipeline; warnings do too under --strict. */
  blocks(strict: boolean): boolean {
    return this.errorCount > 0 || (strict && this.warningCount > 0);
  }

  /** Stable order: by position, then code, so output does not depend on rule order. */
  sorted(): Diagnostic[] {
    return [...this.items].sort((a, b) => {
      const la = a.span?.line ?? 0;
      const lb = b.span?.line ?? 0;
      if (la !== lb) return la - lb;
      const ca = a.span?.col ?? 0;
      const cb = b.span?.col ?? 0;
      if (ca !== cb) return ca - cb;
      if (a.code !== b.code) return a.code < b.code ? -1 : 1;
      return a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
    });
  }
}
