import type { CommandDef } from '../command.js';

export const trace: CommandDef = {
  name: 'trace',
  summary: 'name the step and the spec lines behind a line of a bundle file',
  usage: 'trace FILE:LINE [--bundle DIR] [--spec SPEC] [--json]',
  description: `Says which step (of a host script) or runbook item prints line LINE of FILE, and the spec
lines it comes from, as the bundle's sourcemap.json records them. FILE is a file of a bundle,
e.g. hosts/pbx-main/install.sh or RUNBOOK.md: relative to the bundle given with --bundle DIR,
or found from the path itself (the nearest folder above it holding sourcemap.json). With
--spec SPEC (the spec the bundle was compiled from: its sha256 must match) the spec lines are
printed with their text. A line outside every step (the banner, the library, the preflight)
is named as such. Exit 0 when the line belongs to a step or item, 1 when it does not, 2 for a
bad argument or a file that cannot be read.`,
  options: [
    { long: 'bundle', value: 'DIR', completes: 'dir', summary: 'the bundle FILE is relative to (default, the folder above FILE that holds sourcemap.json)' },
    { long: 'spec', value: 'SPEC', completes: 'file', summary: 'the spec the bundle was compiled from, to print the spec lines with their text' },
    { long: 'json', summary: 'print the answer as JSON on stdout' },
  ],
  positionals: { min: 1, max: 1, what: 'one FILE:LINE (e.g. hosts/pbx-main/install.sh:120)', completes: { kind: 'file' } },
  load: () => import('./trace.run.js'),
};
