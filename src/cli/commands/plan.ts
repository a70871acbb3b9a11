import type { CommandDef } from '../command.js';
import { SPEC_OPTIONS } from './options.js';

export const plan: CommandDef = {
  name: 'plan',
  summary: 'print the plan (plan.json) to stdout',
  usage: 'plan SPEC [--format pretty|short|json|sarif] [--strict] [--today YYYY-MM-DD]',
  description: `Prints the plan, the document written as plan.json, to stdout. Diagnostics go to stderr
(in every format: stdout holds the plan alone).`,
  options: SPEC_OPTIONS,
  positionals: { min: 1, max: 1, what: 'one SPEC file ("-" reads standard input)', completes: { kind: 'file' } },
  load: () => import('./plan.run.js'),
};
