// pbxplan compile: what it does when run (its table entry, help and options are in compile.ts, loaded
// for every command line; this module only when the command runs).
import { UsageError } from '../errors.js';
import { artifactsDir } from '../io/artifacts-dir.js';
import { BundleOutput } from '../io/output.js';
import { printable } from '../io/terminal.js';
import { progressLine } from '../../startup.js';
import { compileSpec, isMachineFormat, openSpec, printDiagnostics } from './spec.js';
import { compileFrom } from './upgrade-from.js';
import type { CommandContext } from '../command.js';

export async function run(ctx: CommandContext): Promise<number> {
  const { values, io } = ctx;
  const dir = values['out'] as string | undefined;
  if (dir === undefined) throw new UsageError('compile needs -o DIR', ctx.command);
  const adir = (values['artifacts'] as string | undefined) ?? null;
  if (values['allow-missing'] && adir === null) throw new UsageError('--allow-missing needs --artifacts ADIR', ctx.command);
  const force = values['force'] === true;
  const run = await openSpec(ctx);
  const specPath = ctx.positionals[0]!;
  const oldPath = (values['from'] as string | undefined) ?? null;
  if (oldPath === null && (values['purge'] === true || values['allow-destroy'] === true)) throw new UsageError(`--${values['purge'] === true ? 'purge' : 'allow-destroy'} needs --from OLD`, ctx.command);
  const inputs = [...(specPath === '-' ? [] : [{ path: specPath, what: 'the spec' }]), ...(oldPath === null ? [] : [{ path: oldPath, what: 'the old spec' }]), ...(adir === null ? [] : [{ path: adir, what: 'the artifacts directory' }])];
  // The output is checked and locked before compiling: a refusal or a concurrent run is
  // reported at once, before any artifact is hashed.
  const output = BundleOutput.open(dir, { force, inputs, io });
  try {
    // Hashing and packing large images takes a while: a progress line on a terminal (never
    // with machine output).
    const progress = progressLine({ write: io.err, isTTY: io.stderrIsTty }, { env: io.env, enabled: !isMachineFormat(run.format) });
    const source = adir === null ? null : artifactsDir(adir, adir, values['allow-missing'] === true, progress);
    if (values['ansible'] === true) run.options.ansible = true;
    // Each file is written as it is rendered, never the whole bundle held in memory.
    const staged = output.stage();
    const hostOpts = { ...(source === null ? {} : { artifacts: source }), writeFile: staged.add };
    let result;
    if (oldPath === null) {
      result = compileSpec(run, hostOpts);
    } else {
      const up = await compileFrom(run, oldPath, hostOpts, { purge: values['purge'] === true, allowDestroy: values['allow-destroy'] === true });
      result = up.result;
      if (up.result.refusal !== undefined) {
        io.err(printable(`pbxplan compile: no bundle from ${up.old.file}: ${up.result.refusal}\n`));
        return 1;
      }
      if (!result.ok && up.result.side === 'old') {
        printDiagnostics({ ...run, file: up.old.file, text: up.old.text }, result, io, { jsonOnStdout: true });
        return 1;
      }
    }
    if (!result.ok) {
      printDiagnostics(run, result, io, { jsonOnStdout: true });
      return 1;
    }
    const plan = result.plan!;
    const archiveTop = values['archive'] ? plan.cluster.name : null;
    const archivePath = archiveTop === null ? null : output.reserveArchive(`${archiveTop}.tar.gz`, force);
    let written;
    try {
      written = await output.write(result.files ?? [], result.copies ?? [], source, archiveTop, progress);
    } finally {
      progress.done();
    }
    if (!isMachineFormat(run.format)) printDiagnostics(run, result, io, { jsonOnStdout: false });
    const hosts = plan.hosts.length;
    io.err(printable(`wrote ${written.files} files for ${hosts} host${hosts === 1 ? '' : 's'} to ${dir}; start with ${dir.replace(/\/+$/, '')}/RUNBOOK.md\n`));
    if (written.archive) io.err(printable(`wrote ${archivePath} (${written.archive.size} bytes, sha256 ${written.archive.sha256})\n`));
    if (isMachineFormat(run.format)) printDiagnostics(run, result, io, { jsonOnStdout: true });
    return 0;
  } finally {
    output.release();
  }
}
