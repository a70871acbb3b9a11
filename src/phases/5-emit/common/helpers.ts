// The closed set of template helpers. `shq` is the one place a value is quoted for the shell.
// HTML has no escaping helper here on purpose: markup templates are compiled with Handlebars' own
// escaping on (templates.ts), so every value printed into RUNBOOK.html passes that one escaper;
// `visible` only drops the invisible characters of free text before it does.

/** Characters that never need quoting in a shell word. */
const SAFE_WORD = /^[A-Za-z0-9_./:,=@%+-]+$/;

/** Quotes a value as exactly one shell word: bare when it is plainly safe, else single-quoted. */
export function shq(value: unknown): string {
  if (typeof value !== 'string' && typeof value !== 'number') {
    throw new Error(`shq: expected a string or number, got ${value === null ? 'null' : typeof value}`);
  }
  const s = String(value);
  if (SAFE_WORD.test(s)) return s; // flags such as -p are words like any other
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Quotes each item of a list (or its field `key`) with `shq`, one space between: a bash array's
 * words. One helper call instead of three per item (each, shq, unless @last): the host scripts
 * print a few such lists per host. */
export function shqWords(list: unknown, ...rest: unknown[]): string {
  if (!Array.isArray(list)) throw new Error(`shqWords: expected a list, got ${list === null ? 'null' : typeof list}`);
  const key = rest.length > 1 ? rest[0] : undefined; // the last argument is Handlebars' options
  if (key !== undefined && typeof key !== 'string') throw new Error('shqWords: the field name must be a string');
  let out = '';
  for (let i = 0; i < list.length; i++) {
    const item: unknown = list[i];
    if (key !== undefined && (item === null || typeof item !== 'object' || !Object.prototype.hasOwnProperty.call(item, key))) {
      throw new Error(`shqWords: item ${i} has no field "${key}"`);
    }
    out += (i ? ' ' : '') + shq(key === undefined ? item : (item as Record<string, unknown>)[key]);
  }
  return out;
}

/** Control characters, C1 controls, zero-width and bidirectional overrides: a spec value can
 * never put one into a generated file, where it could reorder or hide what a reader sees. */
const INVISIBLE = /[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]+/g;

/** One invisible character (INVISIBLE without the run and the g flag), to test for cheaply:
 * the helpers below return most values as they are, without the copy a replacement makes. */
const ANY_INVISIBLE = /[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/;

/** Text for a `#` comment: one line, no control characters. */
export function comment(value: unknown): string {
  const s = String(value);
  return ANY_INVISIBLE.test(s) ? s.replace(INVISIBLE, ' ') : s;
}

/** Any character md changes: an invisible one or one Markdown reads as markup. */
const MD_ACTIVE = /[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\\`*_[\]<>|]/;

/** Text for Markdown prose or a table cell. Most values (names, addresses) need nothing: one
 * test finds that, where the two replacements would copy them (a runbook makes 20,000 calls). */
export function md(value: unknown): string {
  const s = String(value);
  if (!MD_ACTIVE.test(s)) return s;
  return s.replace(INVISIBLE, ' ').replace(/([\\`*_[\]<>|])/g, '\\$1');
}

/** Free text (the description, a waiver's reason) for HTML: invisible characters dropped; the
 * markup template's escaping then escapes what is left. */
export function visible(value: unknown): string {
  const s = String(value);
  return ANY_INVISIBLE.test(s) ? s.replace(INVISIBLE, ' ') : s;
}

/** Characters that end a quoted Mermaid label or that Mermaid reads as markup (entity codes,
 * HTML, Markdown strings, shapes, edge labels), written as Mermaid's entity codes (#<code>;). */
const MERMAID_ACTIVE = /[#"<>&[\]{}|`]/g;

/** Text inside a double-quoted Mermaid label: one line, each active character as `#<code>;`. */
export function mmd(value: unknown): string {
  return String(value)
    .replace(INVISIBLE, ' ')
    .replace(MERMAID_ACTIVE, (c) => `#${c.charCodeAt(0)};`);
}

/** A YAML double-quoted scalar (JSON's string syntax is YAML's) for the Ansible files. Ansible
 * templates every string it reads, so a value holding a Jinja delimiter's first character is
 * tagged !unsafe: it is then taken as text, never as a template. */
export function yq(value: unknown): string {
  if (typeof value !== 'string' && typeof value !== 'number') {
    throw new Error(`yq: expected a string or number, got ${value === null ? 'null' : typeof value}`);
  }
  const s = JSON.stringify(String(value).replace(INVISIBLE, ' '));
  return s.includes("{") ? `!unsafe ${s}` : s;
}

export function eq(a: unknown, b: unknown): boolean {
  return a === b;
}
