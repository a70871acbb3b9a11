import type { CommandDef } from '../command.js';

export const explain: CommandDef = {
  name: 'explain',
  summary: 'explain a diagnostic code or a diff reason code (--list lists them)',
  usage: 'explain CODE | explain --list',
  description: "Prints what a diagnostic code means and how to fix it, or what a reason code of 'pbxplan diff' means for the hosts. 'pbxplan explain --list' lists every code.",
  options: [{ long: 'list', summary: 'list every code with its severity' }],
  positionals: { min: 0, max: 1, what: 'one CODE', completes: async () => (await import('./explain.run.js')).completes() },
  load: () => import('./explain.run.js'),
};
