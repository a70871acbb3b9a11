import type { Diagnostic } from './diagnostic.js';
import { formatSarif } from './sarif.js';
import { formatPath } from './yaml-path.js';

export type DiagnosticFormat = 'pretty' | 'short' | 'json' | 'sarif';

export interface FormatOptions {
  file: string; // as the user named it
  source: string; // spec text, for the excerpt under each diagnostic
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
  return `accepted until ${a.expires} by ${a.approvedBy}: ${a.reason} (waivers[${a.waiver}])`;
}

function where(file: string, d: { span?: { line: number; col: number } }): string {
  return d.span ? `${file}:${d.span.line}:${d.span.col}` : file;
}

function formatShort(d: Diagnostic, file: string): string {
  if (d.accepted) return `${where(file, d)}: accepted[${d.code}] ${formatPath(d.path)}: ${d.message}; ${acceptedBy(d)}`;
  return `${where(file, d)}: ${d.severity}[${d.code}] ${formatPath(d.path)}: ${d.message}`;
}

function formatJson(diags: Diagnostic[], file: string): string {
  const errorCount = diags.filter((d) => d.severity === 'error').length;
  const acc = accepted(diags);
  const doc = {
    formatVersion: DIAGNOSTICS_FORMAT_VERSION,
    file,
    valid: errorCount === 0,
    errorCount,
    warningCount: diags.length - errorCount - acc.length,
    acceptedCount: acc.length,
    diagnostics: open(diags).map((d) => ({ ...d, pathText: formatPath(d.path) })),
    accepted: acc.map((d) => ({ ...d, pathText: formatPath(d.path) })),
  };
  return JSON.stringify(doc, null, 2) + '\n';
}

function formatPretty(diags: Diagnostic[], opts: FormatOptions): string {
  const lines = opts.source.split(/\r?\n/);
  const bold = ansi('1', opts.color);
  const blue = ansi('34', opts.color);
  let out = '';
  for (const d of [...open(diags), ...accepted(diags)]) {
    const sev = d.accepted ? ansi('1;36', opts.color)('accepted') : d.severity === 'error' ? ansi('1;31', opts.color)('error') : ansi('1;33', opts.color)('warning');
    out += `${sev}${bold(`[${d.code}]`)}: ${bold(d.message)}\n`;
    if (d.span) {
      const { line, col, endLine, endCol } = d.span;
      const text = excerpt(lines[line - 1] ?? '', d);
      const gutter = String(line).length;
      const pad = ' '.repeat(gutter);
      const width = endLine === line ? Math.max(1, endCol - col) : Math.max(1, text.length - col + 1);
      out += `${pad}${blue('-->')} ${where(opts.file, d)}\n`;
      out += `${pad} ${blue('|')}\n`;
      out += `${blue(String(line))} ${blue('|')} ${text}\n`;
      out += `${pad} ${blue('|')} ${' '.repeat(col - 1)}${ansi(d.accepted ? '36' : d.severity === 'error' ? '31' : '33', opts.color)('^'.repeat(width))}\n`;
      out += `${pad} ${blue('=')} at: ${formatPath(d.path)}\n`;
      if (d.accepted) out += `${pad} ${blue('=')} ${acceptedBy(d)}\n`;
      else if (d.hint) out += `${pad} ${blue('=')} hint: ${d.hint}\n`;
      for (const r of d.related ?? []) out += `${pad} ${blue('=')} note: ${r.message} (${where(opts.file, r)})\n`;
    } else {
      out += `  ${blue('-->')} ${opts.file}\n`;
      out += `   ${blue('=')} at: ${formatPath(d.path)}\n`;
      if (d.accepted) out += `   ${blue('=')} ${acceptedBy(d)}\n`;
      else if (d.hint) out += `   ${blue('=')} hint: ${d.hint}\n`;
      for (const r of d.related ?? []) out += `   ${blue('=')} note: ${r.message} (${where(opts.file, r)})\n`;
    }
    out += '\n';
  }
  out += summary(diags, opts.file) + '\n';
  return out;
}

/** The source line under a diagnostic; a literal secret is masked there as in the message. */
function excerpt(line: string, d: Diagnostic): string {
  const text = line.replace(/\t/g, ' ');
  if (!d.code.startsWith('secret_') || !d.span || d.span.endLine !== d.span.line) return text;
  const { col, endCol } = d.span;
  const value = text.slice(col - 1, endCol - 1);
  // Long runs of a base32/base64 alphabet are what the secret checks look for; keep 4 characters.
  const masked = value.replace(/[A-Za-z0-9+/=_-]{20,}/g, (run) => run.slice(0, 4) + '*'.repeat(run.length - 4));
  return text.slice(0, col - 1) + masked + text.slice(endCol - 1);
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
