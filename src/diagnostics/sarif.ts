// `--format sarif`: the diagnostics as one SARIF 2.1.0 log, the format GitHub code scanning and
// SARIF viewers read. Every code of the catalog is a rule (help text = the `explain` text); each
// diagnostic is a result at its spec region; a warning a waiver accepted is a result with an
// in-source suppression carrying the waiver's reason, approver and expiry. Pure: the same
// diagnostics give the same bytes (no timestamps, no machine paths unless the user gave one).
import { createHash } from 'node:crypto';
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CODES, type Code, type CodeEntry } from './codes.js';
import type { Diagnostic, Span, YamlPath } from './diagnostic.js';
import { formatPath } from './yaml-path.js';
import { sourceText, type SpecInput } from '../phases/1-load/decode.js';

export const SARIF_VERSION = '2.1.0';
export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';

/**
 * GitHub code scanning's documented limits ("SARIF support for code scanning": file
 * compatibility and the reportingDescriptor object); a log over a maximum is rejected whole.
 */
export const GITHUB_LIMITS = {
  runsPerFile: 20,
  resultsPerRun: 25_000,
  rulesPerRun: 25_000,
  locationsPerResult: 1_000,
  tagsPerRule: 20,
  ruleNameLength: 255,
  descriptionLength: 1_024,
} as const;

/** The partialFingerprints key of pbxplan's own result identity (the full hash). */
export const FINGERPRINT_KEY = 'pbxplanResult/v1';

export interface SarifOptions {
  file: string; // the spec as the user named it
  source: SpecInput; // the spec as read (text or bytes): regions of diagnostics without a span, and multi-line ends
  toolVersion?: string;
}

type Level = 'error' | 'warning' | 'note';

interface Message {
  text: string;
  markdown?: string;
}

interface Region {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

interface Location {
  physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: Region };
  logicalLocations?: { fullyQualifiedName: string; kind: string }[];
  message?: Message;
  id?: number;
}

export interface SarifRule {
  id: string;
  name: string;
  shortDescription: Message;
  fullDescription: Message;
  help: Message;
  defaultConfiguration: { level: Level };
  properties: { tags: string[]; precision: string; 'problem.severity': string; waivable: boolean };
}

export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: Level;
  message: Message;
  locations: Location[];
  relatedLocations?: Location[];
  partialFingerprints: Record<string, string>;
  suppressions?: { kind: 'inSource'; status: 'accepted'; justification: string; location?: Location }[];
  properties: { yamlPath: string; accepted?: true };
}

export interface SarifLog {
  $schema: string;
  version: string;
  runs: {
    tool: { driver: { name: string; semanticVersion?: string; version?: string; rules: SarifRule[] } };
    invocations: { executionSuccessful: boolean; toolExecutionNotifications?: { level: Level; message: Message }[] }[];
    originalUriBaseIds?: Record<string, { description: Message }>;
    results: SarifResult[];
    columnKind: 'utf16CodeUnits';
  }[];
}

/** Cuts text to GitHub's limit at a word boundary, marking the cut. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return (space > max / 2 ? cut.slice(0, space) : cut) + '…';
}

/** A catalog message with its placeholders shown as <name>: the rule's one-line title. */
function template(text: string): string {
  return text.replace(/\{([a-zA-Z]+)\}/g, '<$1>');
}

function rule(code: Code, e: CodeEntry): SarifRule {
  const fix = template(e.hint);
  return {
    id: code,
    // A readable name distinct from the id (SARIF wants the id opaque and stable).
    name: clip(code.split('_').map((w) => w[0]!.toUpperCase() + w.slice(1)).join(''), GITHUB_LIMITS.ruleNameLength),
    shortDescription: { text: clip(template(e.message), GITHUB_LIMITS.descriptionLength) },
    fullDescription: { text: clip(e.doc, GITHUB_LIMITS.descriptionLength) },
    help: {
      text: `${e.doc}\n\nHow to fix: ${fix}\n\nMore: pbxplan explain ${code}`,
      markdown: `${e.doc}\n\n**How to fix:** ${fix}\n\nMore: \`pbxplan explain ${code}\``,
    },
    defaultConfiguration: { level: e.severity },
    properties: {
      tags: ['pbxplan', e.severity, ...(e.waivable ? ['waivable'] : [])],
      precision: 'very-high',
      'problem.severity': e.severity,
      waivable: e.waivable,
    },
  };
}

/** Every code of the catalog, in catalog order: the same rules in every log. */
export function sarifRules(): SarifRule[] {
  return (Object.entries(CODES) as [Code, CodeEntry][]).map(([code, e]) => rule(code, e));
}

/** The file as a URI: relative paths stay relative (GitHub resolves them from the repository root). */
function artifactLocation(file: string): { uri: string; uriBaseId?: string } {
  if (isAbsolute(file)) return { uri: pathToFileURL(file).href };
  const segments = file.split(/[\\/]+/).filter((s) => s !== '' && s !== '.');
  return { uri: segments.map(encodeURIComponent).join('/') || encodeURIComponent(file), uriBaseId: '%SRCROOT%' };
}

/** A diagnostic's span as a SARIF region; without a span, the first line of the file. */
function region(span: Span | undefined, lines: string[]): Region {
  if (!span) return { startLine: 1, startColumn: 1, endLine: 1, endColumn: Math.max(2, (lines[0] ?? '').length + 1) };
  let { endLine, endCol } = span;
  // A span that ends at the start of a line ends, for SARIF, after the last character before it.
  if (endLine > span.line && endCol <= 1) {
    endLine -= 1;
    endCol = (lines[endLine - 1] ?? '').length + 1;
  }
  if (endLine === span.line) endCol = Math.max(endCol, span.col + 1);
  return { startLine: span.line, startColumn: span.col, endLine, endColumn: endCol };
}

function location(art: { uri: string; uriBaseId?: string }, span: Span | undefined, path: YamlPath, lines: string[], message?: string): Location {
  return {
    physicalLocation: { artifactLocation: art, region: region(span, lines) },
    logicalLocations: [{ fullyQualifiedName: formatPath(path), kind: 'element' }],
    ...(message ? { message: { text: message } } : {}),
  };
}

/**
 * The identity of a result across runs: file, code, YAML path and message with its numbers
 * masked (dates, counts and days left change without making a new alert), never the line.
 */
export function resultFingerprint(uri: string, d: Diagnostic): string {
  const message = d.message.replace(/[0-9]+/g, '#').replace(/\s+/g, ' ').trim();
  return createHash('sha256').update([uri, d.code, formatPath(d.path), message].join('\0')).digest('hex');
}

function messageText(d: Diagnostic): string {
  const text = d.message.trim() || template(CODES[d.code].message);
  const lines = [text];
  if (d.accepted) lines.push(`Accepted until ${d.accepted.expires} by ${d.accepted.approvedBy}: ${d.accepted.reason}`);
  else if (d.hint?.trim()) lines.push(`Hint: ${d.hint.trim()}`);
  return lines.join('\n');
}

const RANK = (d: Diagnostic) => (d.accepted ? 2 : d.severity === 'error' ? 0 : 1);

export function sarifLog(diags: Diagnostic[], opts: SarifOptions): SarifLog {
  const lines = sourceText(opts.source).split(/\r?\n/);
  const art = artifactLocation(opts.file);
  const rules = sarifRules();
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  // Over GitHub's limit, keep the most severe results (errors, warnings, then accepted ones).
  const ordered = [...diags].sort((a, b) => RANK(a) - RANK(b));
  const kept = ordered.slice(0, GITHUB_LIMITS.resultsPerRun);
  const leftOff = ordered.length - kept.length;
  const seen = new Map<string, number>();
  const results = kept.map((d): SarifResult => {
    const hash = resultFingerprint(art.uri, d);
    const n = (seen.get(hash) ?? 0) + 1;
    seen.set(hash, n);
    const related = (d.related ?? []).slice(0, GITHUB_LIMITS.locationsPerResult - 1);
    return {
      ruleId: d.code,
      ruleIndex: ruleIndex.get(d.code)!,
      level: d.accepted ? 'note' : d.severity,
      message: { text: messageText(d) },
      locations: [location(art, d.span, d.path, lines)],
      ...(related.length ? { relatedLocations: related.map((r, i) => ({ id: i + 1, ...location(art, r.span, r.path, lines, r.message.trim() || formatPath(r.path)) })) } : {}),
      // GitHub uses only primaryLocationLineHash (combined with the file and the rule); ours
      // does not depend on the line, so moving lines does not open new alerts.
      partialFingerprints: { primaryLocationLineHash: `${hash.slice(0, 16)}:${n}`, [FINGERPRINT_KEY]: `${hash}:${n}` },
      ...(d.accepted
        ? {
            suppressions: [
              {
                kind: 'inSource' as const,
                status: 'accepted' as const,
                justification: `${d.accepted.reason} (approved by ${d.accepted.approvedBy}; until ${d.accepted.expires} inclusive)`,
                location: location(art, d.accepted.span, ['waivers', d.accepted.waiver], lines),
              },
            ],
          }
        : {}),
      properties: { yamlPath: formatPath(d.path), ...(d.accepted ? { accepted: true as const } : {}) },
    };
  });
  const version = opts.toolVersion && /^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/.test(opts.toolVersion) ? { semanticVersion: opts.toolVersion } : opts.toolVersion ? { version: opts.toolVersion } : {};
  return {
    $schema: SARIF_SCHEMA_URI,
    version: SARIF_VERSION,
    runs: [
      {
        tool: { driver: { name: 'pbxplan', ...version, rules } },
        invocations: [
          {
            executionSuccessful: true,
            ...(leftOff
              ? { toolExecutionNotifications: [{ level: 'warning' as const, message: { text: `${leftOff} less severe results were left off: GitHub code scanning accepts at most ${GITHUB_LIMITS.resultsPerRun} results per run` } }] }
              : {}),
          },
        ],
        ...(art.uriBaseId ? { originalUriBaseIds: { [art.uriBaseId]: { description: { text: 'The directory pbxplan ran in; run it from the repository root so that the spec path matches the repository.' } } } } : {}),
        results,
        columnKind: 'utf16CodeUnits',
      },
    ],
  };
}

export function formatSarif(diags: Diagnostic[], opts: SarifOptions): string {
  return JSON.stringify(sarifLog(diags, opts), null, 2) + '\n';
}
