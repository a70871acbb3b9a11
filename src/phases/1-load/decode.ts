// Bytes → text. A spec is UTF-8; anything else is refused with the position of the first bad
// byte instead of being silently replaced by U+FFFD (and copied into the runbook). A leading
// byte-order mark is accepted and dropped, as by every UTF-8 reader; positions are counted
// without it, on the same text the YAML parser sees.

export type SpecInput = string | Uint8Array;

export interface BadUtf8 {
  /** Byte offset of the first byte of the invalid sequence. */
  offset: number;
  /** 1-based line and column (UTF-16 units, like every other position) of that byte. */
  line: number;
  col: number;
  /** What is wrong, as a phrase that follows the byte: "byte 0xE9 …". */
  detail: string;
}

const BOM = '\ufeff';
const fatal = new TextDecoder('utf-8', { fatal: true });
const lenient = new TextDecoder('utf-8');
/** Keeps a U+FEFF at the start of what it decodes: for pieces taken from the middle of a file. */
const keepBom = new TextDecoder('utf-8', { ignoreBOM: true });

/** The text of a spec, or where its UTF-8 goes wrong. */
export function decodeSpec(input: SpecInput): { text: string } | { bad: BadUtf8 } {
  if (typeof input === 'string') return { text: input.startsWith(BOM) ? input.slice(1) : input };
  try {
    return { text: fatal.decode(input) };
  } catch {
    return { bad: firstBadUtf8(input) };
  }
}

/** The text of a spec for showing excerpts: never fails, decodes as decodeSpec does where the
 * bytes are valid (so lines and columns agree) and shows U+FFFD where they are not. */
export function sourceText(input: SpecInput): string {
  return typeof input === 'string' ? (input.startsWith(BOM) ? input.slice(1) : input) : lenient.decode(input);
}

const hex = (b: number) => `0x${b.toString(16).toUpperCase().padStart(2, '0')}`;

/** The WHATWG UTF-8 rules: the first byte that the fatal decoder rejects, with the reason. */
function firstBadUtf8(b: Uint8Array): BadUtf8 {
  const at = (offset: number, detail: string): BadUtf8 => ({ offset, ...lineCol(b, offset), detail });
  if ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff)) {
    return at(0, `the file starts with the bytes ${hex(b[0]!)} ${hex(b[1]!)}, a UTF-16 byte-order mark: it is UTF-16 text, not UTF-8`);
  }
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      if (c === 0xe0) lo = 0xa0;
      if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      if (c === 0xf0) lo = 0x90;
      if (c === 0xf4) hi = 0x8f;
    } else if (c <= 0xbf) return at(i, `byte ${hex(c)} continues a character that never started`);
    else if (c <= 0xc1) return at(i, `byte ${hex(c)} starts an overlong encoding, which UTF-8 does not allow`);
    else return at(i, `byte ${hex(c)} never occurs in UTF-8`);
    for (let k = 1; k <= need; k++) {
      const d = b[i + k];
      if (d === undefined) return at(i, `byte ${hex(c)} starts a character that the end of the file cuts short`);
      if (d < lo || d > hi) {
        if (k === 1 && d >= 0x80 && d <= 0xbf) {
          if (c === 0xed) return at(i, `bytes ${hex(c)} ${hex(d)} encode a UTF-16 surrogate, which UTF-8 does not allow`);
          if (c === 0xf4) return at(i, `bytes ${hex(c)} ${hex(d)} encode a code point beyond U+10FFFF`);
          return at(i, `bytes ${hex(c)} ${hex(d)} start an overlong encoding, which UTF-8 does not allow`);
        }
        return at(i, `byte ${hex(c)} starts a ${need + 1}-byte character, but byte ${hex(d)} after it does not continue one`);
      }
      lo = 0x80;
      hi = 0xbf;
    }
    i += need + 1;
  }
  // Unreachable when the fatal decoder failed; kept total for the type.
  return at(b.length, 'the text cannot be decoded');
}

/** Line and column of a byte offset; everything before it is valid UTF-8. */
function lineCol(b: Uint8Array, offset: number): { line: number; col: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset; i++) {
    if (b[i] === 0x0a) {
      line++;
      start = i + 1;
    }
  }
  let prefix = keepBom.decode(b.subarray(start, offset));
  if (start === 0 && prefix.startsWith(BOM)) prefix = prefix.slice(1);
  return { line, col: prefix.length + 1 };
}
