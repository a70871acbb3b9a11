import type { YamlPath } from './diagnostic.js';
import { escapeControls, shorten } from './safe-text.js';
import { maskSecretsIn } from '../model/secrets.js';

/** Longest key shown in a path; keys of the spec format are short. */
const MAX_SEGMENT_CHARS = 64;

/** `['servers', 3, 'name']` → `servers[3].name`; the root is `(root)`. A key from the spec is
 * shown safely: a secret masked, a long key shortened, control characters escaped. */
export function formatPath(path: YamlPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(seg) && seg.length <= MAX_SEGMENT_CHARS && maskSecretsIn(seg) === seg) out += out ? `.${seg}` : seg;
    else out += `[${escapeControls(JSON.stringify(shorten(maskSecretsIn(seg), MAX_SEGMENT_CHARS)))}]`;
  }
  return out || '(root)';
}

/** ajv's JSON Pointer (`/servers/3/name`) → YAML path; all-digit segments are array indexes. */
export function pointerToPath(pointer: string): YamlPath {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^(0|[1-9][0-9]*)$/.test(s) ? Number(s) : s));
}

/**
 * `servers[3].name` → `['servers', 3, 'name']`: the inverse of formatPath for the paths a spec
 * can name (identifier keys and indexes; the schema checks the syntax of a waiver's path).
 */
export function parsePath(text: string): YamlPath {
  return [...text.matchAll(/([A-Za-z_][A-Za-z0-9_-]*)|\[([0-9]+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]!));
}
