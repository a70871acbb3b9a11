// pbxplan verify: what it does when run (its table entry, help and options are in verify.ts, loaded
// for every command line; this module only when the command runs).
import { formatReport, judgeBundle, readArchive, type VerifyReport } from '../../bundles.js';
import { progressLine, type Progress } from '../../startup.js';
import { openArchive } from '../io/archives.js';
import { bundleKind, readBundleDir } from '../io/bundle-dir.js';
import type { CommandContext } from '../command.js';

async function verifyPath(path: string, progress: Progress): Promise<VerifyReport> {
  if (bundleKind(path) === 'dir') {
    const dir = readBundleDir(path, true);
    return judgeBundle({ index: dir.index, entries: dir.entries, manifestSha256: dir.manifestSha256 });
  }
  const { stream, size } = openArchive(path, progress);
  let read;
  try {
    read = await readArchive(stream, size);
  } finally {
    progress.done();
  }
  return judgeBundle({ index: read.index, entries: read.entries, manifestSha256: read.manifestSha256, readerFindings: read.findings, complete: read.complete });
}

export async function run(ctx: CommandContext): Promise<number> {
  const path = ctx.positionals[0]!;
  // Findings go to stdout; the progress line (a large archive takes a while) to a terminal on stderr.
  const report = await verifyPath(path, progressLine({ write: ctx.io.err, isTTY: ctx.io.stderrIsTty }, { env: ctx.io.env }));
  ctx.io.out(formatReport(report));
  if (report.ok) {
    ctx.io.err(`${path}: intact (${report.checked} files)\n`);
    return 0;
  }
  const n = report.findings.length;
  ctx.io.err(`${path}: ${n} finding${n === 1 ? '' : 's'}; do not install from this copy\n`);
  return 4;
}
