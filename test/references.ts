// What a reader of pbxplan's output cannot look up: the ids of the project's domain notes
// (shared/domain/portsip-v22.md) and its short keys for the vendor's pages. Shared by the tests
// that hold user-facing text (runbooks, diagnostics, diff reasons) free of them.

/**
 * Invariants C…, guide errors E…, warnings W…, sections §…, appendices, topologies T1–T4, the
 * seed files S0–S4 and the keys of §0's source table: OP-INST, AWS-SCALE, CL-CFG, PBX-INST, HW,
 * HAG, RN22… The keys that are also plain words (API, SEC, LE, RATE, KB, SH) count only where a
 * parenthesis opens with them, the way the notes cite a source.
 */
export const REFERENCE =
  /\b[WEC]\d{1,2}\b|§ ?\d|\bAppendix [A-C]\b|\b[ST]\d\b|\b(?:OP|AWS|CL|PBX|IM|DF|SBC|UPG|BR|RN|INST|OLD|V16)-[A-Z0-9]+\b|\b(?:HW|HAG|NOFILE|RN\d+)\b|\((?:API|SEC|LE|RATE|KB|SH)\b/g;

/** The distinct references in a text, in order of first appearance. */
export function references(text: string): string[] {
  return [...new Set([...text.matchAll(REFERENCE)].map((m) => m[0]))];
}
