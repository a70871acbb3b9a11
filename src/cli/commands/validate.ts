import type { CommandDef } from '../command.js';
import { SPEC_OPTIONS } from './options.js';

export const validate: CommandDef = {
  name: 'validate',
  summary: 'check the spec; print every problem (SPEC - reads stdin)',
  usage: 'validate SPEC [--format pretty|short|json|sarif] [--strict] [--today YYYY-MM-DD]',
  description: `Loads SPEC, validates it against the schema and checks every invariant. Prints all problems
found in one run. Writes nothing. Exit 0 when valid, 1 when not, 2 on usage or I/O errors.
With --format json the diagnostics document is the only thing on stdout.`,
  options: SPEC_OPTIONS,
  positionals: { min: 1, max: 1, what: 'one SPEC file ("-" reads standard input)', completes: { kind: 'file' } },
  load: () => import('./validate.run.js'),
};
