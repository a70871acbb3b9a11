// pbxplan diff OLD NEW: what changing a running cluster from OLD to NEW does, offline.
import type { CommandDef } from '../command.js';
import { TODAY } from './options.js';

const DENY_LEVELS = ['remove', 'recreate', 'restart'] as const;

export const diff: CommandDef = {
  name: 'diff',
  summary: 'what changing a running cluster from OLD to NEW does (offline)',
  usage: 'diff OLD NEW [--format text|json] [--deny remove|recreate|restart] [--allow-destroy] [--today YYYY-MM-DD]',
  description: `Compares two states of a cluster, each a spec, a bundle directory (its plan.json) or a
plan.json, and lists every change: add, update (in place or in the portal only), restart,
recreate (rm + run: an interruption, data kept), remove, upgrade. Each change names its hosts, a
reason code ('pbxplan explain CODE'), the old and new spec lines, and the restarts or
recreations it forces on other hosts. Secrets appear only as references.
Exit codes: 0 no changes · 3 changes · 5 a change at or above --deny · 1 a spec has errors or a
change is refused (a downgrade, a jump across majors, a protected host destroyed) · 2 usage or I/O.`,
  options: [
    { long: 'format', value: 'FORMAT', choices: ['text', 'json'], summary: 'text (default), or json (formatVersion, summary and changes)' },
    { long: 'deny', value: 'LEVEL', choices: DENY_LEVELS, summary: 'exit 5 when a change is at or above LEVEL (for CI gates)' },
    { long: 'allow-destroy', summary: 'allow recreating or removing hosts the spec protects (its protect list)' },
    TODAY,
  ],
  positionals: { min: 2, max: 2, what: 'OLD and NEW (spec, bundle directory or plan.json)', completes: { kind: 'file' } },
  load: () => import('./diff.run.js'),
};
