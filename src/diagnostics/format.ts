// Every format prints only escaped text: messages, hints and notes were made safe where they
// were filled (codes.ts `fill`), paths by formatPath, and the source excerpt here; escapeControls
// is applied once more to everything printed, since it costs nothing and cannot double-escape.
import type { Diagnostic, Related, YamlPath } from './diagnostic.js';
import { escapeControls, MAX_VALUE_CHARS, safeText } from './safe-text.js';
import { formatSarif } from './sarif.js';
import { formatPath } from './yaml-path.js';
import { sourceText, type SpecInput } from '../phases/1-load/decode.js';
import { starMask, starSecretsIn } from '../model/secrets.js';

export type DiagnosticFormat = 'pretty' | 'short' | 'json' | 'sarif';

export interface FormatOptions {
  file: string; // as the user named it
  source: SpecInput; // the spec as read (text or bytes), for the excerpt under each diagnostic
  color: boolean;
  /** The compiler's version, for SARIF's tool.driver (e.g. "0.1.0"). */
  toolVersion?: string;
}

/** Version of the `--format json` document; bump when a key changes meaning (new keys may be added: `accepted`, `acceptedCount`). */
export const DIAGNOSTICS_FORMAT_VERSION = 1;

const ansi = (code: string, on: boolean) => (s: string) => (on ? `\x1b[${code}m${s}\x1b[0m` : s);

export function formatDiagnostics(diags: Diagnostic[], format: DiagnosticFormat, opts: FormatOptions): string {
  if (format === 'sarif') return formatSarif(diags, opts);
  if (format === 'json') return formatJson(diags, opts.file);
  if (format === 'short') return [...open(diags), ...accepted(diags)].map((d) => formatShort(d, opts.file) + '\n').join('');
  return formatPretty(diags, opts);
}

/** Errors and the warnings no waiver accepted: what counts. */
const open = (diags: Diagnostic[]) => diags.filter((d) => !d.accepted);
/** Warnings a waiver accepted: listed after the others, marked "accepted". */
const accepted = (diags: Diagnostic[]) => diags.filter((d) => d.accepted);

function acceptedBy(d: Diagnostic): string {
  const a = d.accepted!;
  return `accepted until ${a.expires} by ${safeText(a.approvedBy)}: ${safeText(a.reason)} (waivers[${a.waiver}])`;
}

function where(file: string, d: { span?: { line: number; col: number } }): string {
  return d.span ? `${escapeControls(file)}:${d.span.line}:${d.span.col}` : escapeControls(file);
}

function formatShort(d: Diagnostic, file: string): string {
  if (d.accepted) return `${where(file, d)}: accepted[${d.code}] ${formatPath(d.path)}: ${escapeControls(d.message)}; ${acceptedBy(d)}`;
  return `${where(file, d)}: ${d.severity}[${d.code}] ${formatPath(d.path)}: ${escapeControls(d.message)}`;
}

/** Path segments as data, made safe like every other text (JSON.stringify leaves DEL, C1 and
 * bidirectional controls raw). */
function safePath(path: YamlPath): YamlPath {
  return path.map((seg) => (typeof seg === 'string' ? safeText(seg) : seg));
}

function formatJson(diags: Diagnostic[], file: string): string {
  const errorCount = diags.filter((d) => d.severity === 'error').length;
  const safeRelated = (r: Related): Related => ({ ...r, message: escapeControls(r.message), path: safePath(r.path) });
  const acc = accepted(diags);
  const safe = (d: Diagnostic) => ({
    ...d,
    message: escapeControls(d.message),
    path: safePath(d.path),
    ...(d.hint !== undefined ? { hint: escapeControls(d.hint) } : {}),
    ...(d.related ? { related: d.related.map(safeRelated) } : {}),
    ...(d.accepted ? { accepted: { ...d.accepted, reason: safeText(d.accepted.reason), approvedBy: safeText(d.accepted.approvedBy) } } : {}),
    pathText: formatPath(d.path),
  });
  const doc = {
    formatVersion: DIAGNOSTICS_FORMAT_VERSION,
    file: escapeControls(file),
    valid: errorCount === 0,
    errorCount,
    warningCount: diags.length - errorCount - acc.length,
    acceptedCount: acc.length,
    diagnostics: open(diags).map(safe),
    accepted: acc.map(safe),
  };
  return JSON.stringify(doc, null, 2) + '\n';
}

function formatPretty(diags: Diagnostic[], opts: FormatOptions): string {
  const lines = sourceText(opts.source).split(/\r?\n/);
  const bold = ansi('1', opts.color);
  const blue = ansi('34', opts.color);
  let out = '';
  for (const d of [...open(diags), ...accepted(diags)]) {
    const sev = d.accepted ? ansi('1;36', opts.color)('accepted') : d.severity === 'error' ? ansi('1;31', opts.color)('error') : ansi('1;33', opts.color)('warning');
    out += `${sev}${bold(`[${d.code}]`)}: ${bold(escapeControls(d.message))}\n`;
    if (d.span) {
      const { line } = d.span;
      const ex = excerpt(lines[line - 1] ?? '', d);
      const gutter = String(line).length;
      const pad = ' '.repeat(gutter);
      out += `${pad}${blue('-->')} ${where(opts.file, d)}\n`;
      out += `${pad} ${blue('|')}\n`;
      out += `${blue(String(line))} ${blue('|')} ${ex.text}\n`;
      out += `${pad} ${blue('|')} ${' '.repeat(ex.caretCol - 1)}${ansi(d.accepted ? '36' : d.severity === 'error' ? '31' : '33', opts.color)('^'.repeat(ex.width))}\n`;
      out += `${pad} ${blue('=')} at: ${formatPath(d.path)}\n`;
      if (d.accepted) out += `${pad} ${blue('=')} ${acceptedBy(d)}\n`;
      else if (d.hint) out += `${pad} ${blue('=')} hint: ${escapeControls(d.hint)}\n`;
      if (ex.note) out += `${pad} ${blue('=')} note: ${ex.note}\n`;
      for (const r of d.related ?? []) out += `${pad} ${blue('=')} note: ${escapeControls(r.message)} (${where(opts.file, r)})\n`;
    } else {
      out += `  ${blue('-->')} ${escapeControls(opts.file)}\n`;
      out += `   ${blue('=')} at: ${formatPath(d.path)}\n`;
      if (d.accepted) out += `   ${blue('=')} ${acceptedBy(d)}\n`;
      else if (d.hint) out += `   ${blue('=')} hint: ${escapeControls(d.hint)}\n`;
      for (const r of d.related ?? []) out += `   ${blue('=')} note: ${escapeControls(r.message)} (${where(opts.file, r)})\n`;
    }
    out += '\n';
  }
  out += summary(diags, opts.file) + '\n';
  return out;
}

interface Excerpt {
  text: string;
  /** 1-based column of the first caret in `text`, and how many carets. */
  caretCol: number;
  width: number;
  /** Said under the excerpt when the line was cut. */
  note?: string;
}

/** Characters of a long line shown before the start of the span. */
const EXCERPT_LEAD = 60;

/**
 * The source line under a diagnostic, safe to print: every detected secret on it is masked
 * (keeping four characters and the length, so that columns stay put), a long line is cut to a
 * window of MAX_VALUE_CHARS around the span, and control characters are escaped, with the
 * carets moved to where the span is shown.
 */
function excerpt(raw: string, d: Diagnostic): Excerpt {
  const span = d.span!;
  let line = starSecretsIn(raw.replace(/\t/g, ' '));
  const col = span.col;
  const endCol = span.endLine === span.line ? span.endCol : line.length + 1;
  if ((d.code === 'secret_ref_literal' || d.code === 'secret_value_in_spec') && span.endLine === span.line) {
    // The value the secret check found: masked whatever its shape, as in the message.
    const value = line.slice(col - 1, endCol - 1);
    const masked = value.replace(/[A-Za-z0-9+/=_-]{20,}/g, starMask);
    line = line.slice(0, col - 1) + masked + line.slice(endCol - 1);
  }
  const from = line.length <= MAX_VALUE_CHARS ? 0 : Math.max(0, Math.min(col - 1 - EXCERPT_LEAD, line.length - MAX_VALUE_CHARS));
  const to = Math.min(line.length, from + MAX_VALUE_CHARS);
  const before = escapeControls(line.slice(from, Math.min(col - 1, to)).padEnd(Math.max(0, col - 1 - from)));
  const inSpan = escapeControls(line.slice(Math.min(col - 1, to), Math.min(Math.max(endCol - 1, col - 1), to)));
  const after = escapeControls(line.slice(Math.min(Math.max(endCol - 1, col - 1), to), to));
  // A span that runs past the end of the line (the line break, the end of the file) keeps its carets.
  const overflow = to === line.length ? Math.max(0, endCol - 1 - Math.max(col - 1, line.length)) : 0;
  const lead = from > 0 ? '…' : '';
  const tail = to < line.length ? '…' : '';
  const cut = from > 0 || to < line.length;
  return {
    text: lead + before + inSpan + after + tail,
    caretCol: lead.length + before.length + 1,
    width: Math.max(1, inSpan.length + overflow),
    ...(cut ? { note: `line ${span.line} is ${line.length.toLocaleString('en-US')} characters long; shown are characters ${from + 1}–${to}` } : {}),
  };
}

export function summary(diags: Diagnostic[], file: string): string {
  const e = diags.filter((d) => d.severity === 'error').length;
  const a = accepted(diags).length;
  const w = diags.length - e - a;
  const acc = a ? `${a} accepted warning${a === 1 ? '' : 's'}` : '';
  if (e === 0 && w === 0) return a ? `${file}: ok, ${acc}` : `${file}: ok`;
  const parts = [];
  if (e) parts.push(`${e} error${e === 1 ? '' : 's'}`);
  if (w) parts.push(`${w} warning${w === 1 ? '' : 's'}`);
  if (a) parts.push(acc);
  return `${file}: ${parts.join(', ')}`;
}
