// The one escaper for text that came from a spec and is about to be shown: in a message (via
// `fill`), a hint, a YAML path, a source excerpt, in every output format. A hostile spec must not
// be able to drive the terminal or the CI log (ESC sequences, BEL, C1 controls), reorder what the
// reader sees (bidirectional overrides), hide text (zero-width characters), or flood the output;
// and a secret pasted anywhere in the spec is never repeated whole.
import { maskSecretsIn } from '../model/secrets.js';

/** Longest piece of a spec value shown in a message or path (characters). */
export const MAX_VALUE_CHARS = 200;

/**
 * C0 controls (tab and newline included: messages are one line), DEL, C1 controls, the Arabic
 * letter mark, zero-width and directional marks, line and paragraph separators, bidirectional
 * embeddings, overrides and isolates, invisible operators, the byte-order mark and unpaired
 * surrogates (half a character, which cannot be written as UTF-8).
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** `\x1b`, `\u202e`: the character made visible, in the notation of JavaScript and C. */
function escapeOne(c: string): string {
  const n = c.charCodeAt(0);
  return n <= 0xff ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
}

/** Every character that could act on a terminal or mislead a reader, escaped visibly. */
export function escapeControls(s: string): string {
  UNSAFE.lastIndex = 0;
  return UNSAFE.test(s) ? s.replace(UNSAFE, escapeOne) : s;
}

/** At most `max` characters, then an ellipsis and how long the whole was. */
export function shorten(s: string, max = MAX_VALUE_CHARS): string {
  return s.length <= max ? s : `${s.slice(0, max)}… (${s.length.toLocaleString('en-US')} characters)`;
}

/** A spec value as it may be shown: secrets masked (on the whole value, so that a cut cannot
 * leave a long piece of one), then shortened, then escaped. Apply once; escapeControls alone
 * may be applied again to text built from it. */
export function safeText(s: string): string {
  return escapeControls(shorten(maskSecretsIn(s)));
}
