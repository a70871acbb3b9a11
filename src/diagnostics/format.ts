import type { Diagnostic } from './diagnostic.js';
import { formatPath } from './yaml-path.js';

export type DiagnosticFormat = 'pretty' | 'short' | 'json';

export interface FormatOptions {
  file: string; // as the user named it
  source: string; // spec text, for the excerpt under each diagnostic
  color: boolean;
}

/** Version of the `--format json` document; bump when its shape changes. */
export const DIAGNOSTICS_FORMAT_VERSION = 1;

const ansi = (code: string, on: boolean) => (s: string) => (on ? `\x1b[${code}m${s}\x1b[0m` : s);

export function formatDiagnostics(diags: Diagnostic[], format: DiagnosticFormat, opts: FormatOptions): string {
  if (format === 'json') return formatJson(diags, opts.file);
  if (format === 'short') return diags.map((d) => formatShort(d, opts.file) + '\n').join('');
  return formatPretty(diags, opts);
}

function where(file: string, d: { span?: { line: number; col: number } }): string {
  return d.span ? `${file}:${d.span.line}:${d.span.col}` : file;
}

function formatShort(d: Diagnostic, file: string): string {
  return `${where(file, d)}: ${d.severity}[${d.code}] ${formatPath(d.path)}: ${d.message}`;
}

function formatJson(diags: Diagnostic[], file: string): string {
  const errorCount = diags.filter((d) => d.severity === 'error').length;
  const doc = {
    formatVersion: DIAGNOSTICS_FORMAT_VERSION,
    file,
    valid: errorCount === 0,
    errorCount,
    warningCount: diags.length - errorCount,
    diagnostics: diags.map((d) => ({ ...d, pathText: formatPath(d.path) })),
  };
  return JSON.stringify(doc, null, 2) + '\n';
}

function formatPretty(diags: Diagnostic[], opts: FormatOptions): string {
  const lines = opts.source.split(/\r?\n/);
  const bold = ansi('1', opts.color);
  const blue = ansi('34', opts.color);
  let out = '';
  for (const d of diags) {
    const sev = d.severity === 'error' ? ansi('1;31', opts.color)('error') : ansi('1;33', opts.color)('warning');
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
      out += `${pad} ${blue('|')} ${' '.repeat(col - 1)}${ansi(d.severity === 'error' ? '31' : '33', opts.color)('^'.repeat(width))}\n`;
      out += `${pad} ${blue('=')} at: ${formatPath(d.path)}\n`;
      if (d.hint) out += `${pad} ${blue('=')} hint: ${d.hint}\n`;
      for (const r of d.related ?? []) out += `${pad} ${blue('=')} note: ${r.message} (${where(opts.file, r)})\n`;
    } else {
      out += `  ${blue('-->')} ${opts.file}\n`;
      out += `   ${blue('=')} at: ${formatPath(d.path)}\n`;
      if (d.hint) out += `   ${blue('=')} hint: ${d.hint}\n`;
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
  const w = diags.length - e;
  if (e === 0 && w === 0) return `${file}: ok`;
  const parts = [];
  if (e) parts.push(`${e} error${e === 1 ? '' : 's'}`);
  if (w) parts.push(`${w} warning${w === 1 ? '' : 's'}`);
  return `${file}: ${parts.join(', ')}`;
}
