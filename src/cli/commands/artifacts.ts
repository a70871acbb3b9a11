import { artifactSummary, missingArtifactCount, renderArtifactList } from '../../index.js';
import type { CommandDef } from '../command.js';
import { UsageError } from '../errors.js';
import { artifactsDir } from '../io/artifacts-dir.js';
import { ALLOW_MISSING, ARTIFACTS, SPEC_OPTIONS } from './options.js';
import { compileSpec, openSpec, printDiagnostics } from './spec.js';
import { compileUpgradeFrom } from './upgrade-from.js';
import { printable } from '../io/terminal.js';

export const artifacts: CommandDef = {
  name: 'artifacts',
  summary: 'list the files an air-gapped site must carry',
  usage: 'artifacts SPEC [--from OLD] [--artifacts ADIR [--allow-missing]] [--format pretty|short|json|sarif] [--strict] [--today YYYY-MM-DD]',
  description: `Lists every file an air-gapped site must carry for SPEC, where it goes in the artifacts
directory (the layout of the bundle's artifacts/ folder), why, and the hosts that use it:
the PortSIP control scripts, the vendor HA package, one tarball per image and the Debian
packages for Docker Engine, the Compose plugin and firewalld. --format json prints a versioned
JSON document instead of text (on stdout; diagnostics go to stderr). With --artifacts ADIR,
each entry says whether ADIR has it; the exit code is then 1 when something is missing
(unless --allow-missing).`,
  options: [{ long: 'from', value: 'OLD', completes: 'file', summary: 'list what the upgrade bundle from OLD needs, the new images only' }, ARTIFACTS, ALLOW_MISSING, ...SPEC_OPTIONS],
  positionals: { min: 1, max: 1, what: 'one SPEC file ("-" reads standard input)', completes: { kind: 'file' } },
  async run(ctx) {
    const dir = (ctx.values['artifacts'] as string | undefined) ?? null;
    const allowMissing = ctx.values['allow-missing'] === true;
    if (allowMissing && dir === null) throw new UsageError('--allow-missing needs --artifacts ADIR', ctx.command);
    const run = await openSpec(ctx);
    // Missing files are what this command reports, so the plan is made as with --allow-missing.
    const host = dir === null ? {} : { artifacts: artifactsDir(dir, dir, true) };
    const oldPath = (ctx.values['from'] as string | undefined) ?? null;
    let result = oldPath === null ? compileSpec(run, host) : null;
    if (result === null) {
      const up = await compileUpgradeFrom(run, oldPath!, host);
      if (up.result.refusal !== undefined) {
        ctx.io.err(printable(`pbxplan artifacts: not an upgrade from ${up.old.file}: ${up.result.refusal}\n`));
        return 1;
      }
      result = up.result;
    }
    printDiagnostics(run, result, ctx.io, { jsonOnStdout: false });
    if (!result.ok) return 1;
    ctx.io.out(renderArtifactList(result.plan!, { dir, format: run.format === 'json' ? 'json' : 'text' }));
    if (dir !== null) ctx.io.err(artifactSummary(result.plan!, dir));
    return dir !== null && missingArtifactCount(result.plan!) > 0 && !allowMissing ? 1 : 0;
  },
};
