// Recognising a secret pasted into the spec, and showing it without revealing it. Tokens and
// passwords belong in a `{ env: NAME }` or `{ file: /path }` reference, read on the host at run
// time; a spec (and the bundle, logs and CI output made from it) must never hold one.

/** Shortest run of token characters that is taken for a secret. */
export const SECRET_MIN_LENGTH = 24;

export type SecretShape = 'base32' | 'base64';

export interface SecretLike {
  token: string;
  shape: SecretShape;
}

const BASE32 = /^[A-Z2-7]+=*$/;
const BASE64 = /^[A-Za-z0-9+/_-]+=*$/;

/** Mean length of the runs of characters matching `re`; generated text has short runs, words long ones. */
function meanRun(s: string, re: RegExp): number {
  const runs = s.match(re) ?? [];
  return runs.length ? runs.reduce((n, r) => n + r.length, 0) / runs.length : 0;
}

/** Share of vowels among the letters: about 19% in random letters, near 40% in words. */
function vowelShare(s: string): number {
  const letters = s.replace(/[^A-Za-z]/g, '');
  return letters.length ? (letters.match(/[AEIOUaeiou]/g)?.length ?? 0) / letters.length : 0;
}

/** How many different characters; random tokens use many, repeated words few. */
function distinct(s: string): number {
  return new Set(s).size;
}

/**
 * The first run of at least 24 token characters that looks generated rather than written.
 * base32: upper case and the digits 2–7, digits in two or more places, few vowels. base64 and
 * base64url: upper case, lower case and digits, lower-case letters in short runs (about 1.7 in
 * random text, 3 or more in words) and few vowels. A heuristic tuned against false alarms: host
 * names, paths, CamelCase words, environment-variable names and image references do not match;
 * it finds about 93% of random 24-character base64 tokens and 99% of 44-character ones.
 */
export function findSecretLike(value: string): SecretLike | undefined {
  for (const token of value.split(/[^A-Za-z0-9+/=_-]+/)) {
    // A base64 token holds '/', '+', '-' and '_', but so do paths and names: look at each
    // piece between separators as well as the whole run.
    for (const run of [token, ...token.split(/[/_-]+/)]) {
      if (run.length < SECRET_MIN_LENGTH) continue;
      if (BASE32.test(run) && (run.match(/[2-7]+/g)?.length ?? 0) >= 2 && vowelShare(run) < 0.35 && distinct(run) >= 12) return { token: run, shape: 'base32' };
      if (
        BASE64.test(run) &&
        /[A-Z]/.test(run) &&
        /[0-9]/.test(run) &&
        meanRun(run, /[a-z]+/g) > 0 &&
        meanRun(run, /[a-z]+/g) <= 2.7 &&
        vowelShare(run) < 0.4 &&
        distinct(run) >= 14
      ) {
        return { token: run, shape: 'base64' };
      }
    }
  }
  return undefined;
}

/** `JBSWY3DPEHPK3PXP…` → `JBSW…`: enough to recognise it, not enough to use it. */
export function maskSecret(s: string): string {
  return s.length <= 8 ? '…' : `${s.slice(0, 4)}…`;
}
