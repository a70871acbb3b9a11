import type { YamlPath } from './diagnostic.js';

/** `['servers', 3, 'name']` → `servers[3].name`; the root is `(root)`. */
export function formatPath(path: YamlPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
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
