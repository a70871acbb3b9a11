import { formatReport, judgeBundle, progressLine, readArchive, type Progress, type VerifyReport } from '../../index.js';
import type { CommandDef } from '../command.js';
import { openArchive } from '../io/archives.js';
import { bundleKind, readBundleDir } from '../io/bundle-dir.js';

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

export const verify: CommandDef = {
  name: 'verify',
  summary: 'check a bundle directory or archive against its manifest.json (exit 4 if not intact)',
  usage: 'verify PATH',
  description: `Checks a bundle directory, or a bundle archive written by 'compile --archive', against its
own manifest.json and SHA256SUMS: every listed file must be there with its size, mode and
sha256, and nothing else; only regular files and folders (no symbolic link, FIFO or device);
no setuid, setgid or world-writable mode; in an archive every entry owned by root and no path
leaving the bundle. An archive is read as a stream, never unpacked, and its decompression is
bounded (a decompression bomb stops it early). Prints one line per finding on stdout.
Exit 0 when intact, 4 when not, 2 when PATH cannot be read. Inside a bundle, ./verify.sh checks
the same with bash and coreutils only.`,
  options: [],
  positionals: { min: 1, max: 1, what: 'one PATH (a bundle directory or archive)', completes: { kind: 'file' } },
  async run(ctx) {
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
  },
};
