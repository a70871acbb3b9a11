// `pbxplan verify`: a bundle's files against its SHA256SUMS. Pure: the CLI hashes the files of
// a directory or an archive and passes the digests in.

export interface VerifyReport {
  ok: boolean;
  checked: number; // files listed in SHA256SUMS
  bad: string[]; // listed, present, different content
  missing: string[]; // listed, absent
  extra: string[]; // present, not listed (SHA256SUMS itself excepted)
  problems: string[]; // anything else: malformed lines, unexpected entries, damage
}

const LINE = /^([0-9a-f]{64}) [ *](.+)$/;

/**
 * Compares SHA256SUMS (null when absent) with the digests of the files found, keyed by
 * bundle-relative path. `problems` from reading the bundle are carried into the report.
 */
export function compareSums(sums: string | null, found: Map<string, string>, problems: string[] = []): VerifyReport {
  const report: VerifyReport = { ok: false, checked: 0, bad: [], missing: [], extra: [], problems: [...problems] };
  if (sums === null) {
    report.missing.push('SHA256SUMS');
    return report;
  }
  const listed = new Set<string>();
  sums.split('\n').forEach((line, i) => {
    if (!line) return;
    const m = LINE.exec(line);
    if (!m) {
      report.problems.push(`SHA256SUMS line ${i + 1} is not "<sha256>  <path>"`);
      return;
    }
    const [, want, path] = m as unknown as [string, string, string];
    listed.add(path);
    report.checked++;
    const have = found.get(path);
    if (have === undefined) report.missing.push(path);
    else if (have !== want) report.bad.push(path);
  });
  for (const path of found.keys()) if (path !== 'SHA256SUMS' && !listed.has(path)) report.extra.push(path);
  for (const list of [report.bad, report.missing, report.extra]) list.sort();
  report.ok = !report.bad.length && !report.missing.length && !report.extra.length && !report.problems.length;
  return report;
}

/** One line per finding, e.g. "bad: artifacts/images/x.tar". */
export function formatReport(report: VerifyReport): string {
  return [
    ...report.problems.map((p) => `damaged: ${p}`),
    ...report.bad.map((p) => `bad: ${p} (content differs from SHA256SUMS)`),
    ...report.missing.map((p) => `missing: ${p}`),
    ...report.extra.map((p) => `extra: ${p} (not listed in SHA256SUMS)`),
  ]
    .map((l) => l + '\n')
    .join('');
}
