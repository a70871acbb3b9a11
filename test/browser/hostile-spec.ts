// A spec whose free text (metadata.description, the one spec value that may hold any printable
// character) tries every way out of HTML text: closing the elements it could sit in, a script,
// an event handler on an element and on SVG, attribute quotes, an entity and a comment. Shared
// by the string-level test of the html target and the browser test.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES } from '../golden.js';

export const HOSTILE_TEXT =
  `</p></title></style></textarea><script>window.__pbxplanInjected=1</script>"><img src=x onerror="window.__pbxplanInjected=2">'><svg onload=window.__pbxplanInjected=3>&amp;<!-- ]]>`;

/** The cluster fixture's spec with `description` replaced (a JSON string is a YAML double-quoted scalar). */
export function specWithDescription(description: string): string {
  const text = readFileSync(join(FIXTURES, 'cluster', 'spec.yaml'), 'utf8');
  const out = text.replace(/^(\s*description:).*$/m, `$1 ${JSON.stringify(description)}`);
  if (out === text) throw new Error('the cluster fixture has no description line to replace');
  return out;
}
