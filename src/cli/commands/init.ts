import type { CommandDef } from '../command.js';

/** The starter specs, by topology (templates/init/<topology>.yaml). */
export const TOPOLOGIES = ['single', 'cluster', 'ha-onprem', 'ha-aws'] as const;

export const init: CommandDef = {
  name: 'init',
  summary: 'print (or write) a commented starter spec',
  usage: 'init [--topology single|cluster|ha-onprem|ha-aws] [-o FILE [--force]]',
  description: `Prints a commented starter spec that compiles as it is: --topology single (one PBX host),
cluster (a PBX with one server of each cluster role; the default), ha-onprem (three nodes under
Pacemaker and DRBD with a virtual IP) or ha-aws (three EC2 nodes with an Elastic IP and a shared
EBS volume). With -o, writes it to FILE instead: never through a symbolic link, and replacing an
existing file only with --force.`,
  options: [
    { long: 'topology', value: 'TOPOLOGY', choices: TOPOLOGIES, summary: 'which starter spec (default cluster)' },
    { long: 'out', short: 'o', value: 'FILE', completes: 'file', summary: 'write the spec to FILE instead of stdout' },
    { long: 'force', summary: 'overwrite FILE if it exists (a regular file only)' },
  ],
  positionals: { min: 0, max: 0, what: 'no arguments (use -o FILE to write a file)', completes: { kind: 'none' } },
  load: () => import('./init.run.js'),
};
