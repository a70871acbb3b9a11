import type { CommandDef } from '../command.js';
import { ALLOW_MISSING, ARTIFACTS, SPEC_OPTIONS } from './options.js';

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
  load: () => import('./artifacts.run.js'),
};
