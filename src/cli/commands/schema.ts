import type { CommandDef } from '../command.js';

export const schema: CommandDef = {
  name: 'schema',
  summary: 'print the JSON Schema of the spec',
  usage: 'schema',
  description: 'Prints the JSON Schema (2020-12) of the cluster spec, for editors and other tools.',
  options: [],
  positionals: { min: 0, max: 0, what: 'no arguments', completes: { kind: 'none' } },
  load: () => import('./schema.run.js'),
};
