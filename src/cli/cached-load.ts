// How the bundled CLI (scripts/bundle.mjs) loads a command's code: the commands' code is bundled
// into a few CommonJS files (dist/bin/chunks/<group>.cjs) compiled here with V8's code cache
// (<group>.cjs.cache, written by the build after a training run), so that a run does not parse
// and compile a megabyte of JavaScript again: the cost that dominates a short command on Node 20,
// whose ES module loader has no code cache. The cache starts with the sha256 of the source it was
// made from (V8 itself checks only the source's length): one for other bytes is not used. A cache
// V8 rejects (another Node or V8 version) is ignored likewise: the file is then compiled as
// usual, only slower. The modules that hold the state of a
// run (errors' classes for instanceof, the undo registry) are the entry's own instances, lent to
// the group through its require. Unbundled (tsc's dist/, tsx) this module is not used.
import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import type { CommandRun } from './command.js';
import * as errors from './errors.js';
import * as cleanup from './io/cleanup.js';
import * as terminal from './io/terminal.js';

/** The modules a group shares with the entry: scripts/bundle.mjs maps their imports to these names. */
export const SHARED_MODULES = { errors, cleanup, terminal } as const;

type Group = Record<string, () => Promise<CommandRun & Record<string, unknown>>>;
const groups = new Map<string, Group>();

/** The commands of group `name`, compiled from chunks/<name>.cjs beside the entry (with its code cache). */
export function loadGroup(name: string): Group {
  const known = groups.get(name);
  if (known) return known;
  const file = join(dirname(fileURLToPath(import.meta.url)), 'chunks', `${name}.cjs`); // beside the bundled entry, dist/bin/
  // Read as bytes and summed as bytes: decoding 1 MB as UTF-8 and hashing the string (which
  // encodes it again) cost ~8 ms of a ~35 ms command; the build emits ASCII only, so latin1 is
  // the same text (a file that is not ASCII is decoded as UTF-8 all the same).
  const bytes = readFileSync(file);
  const source = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
  const sum = createHash('sha256').update(bytes).digest();
  let cachedData: Buffer | undefined;
  let state: 'used' | 'rejected' | 'stale' | 'missing';
  try {
    const cache = readFileSync(`${file}.cache`);
    cachedData = cache.subarray(0, sum.length).equals(sum) ? cache.subarray(sum.length) : undefined;
    state = cachedData ? 'used' : 'stale';
  } catch {
    cachedData = undefined; // no cache: compiled as usual
    state = 'missing';
  }
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: file, ...(cachedData ? { cachedData } : {}) });
  if (script.cachedDataRejected) state = 'rejected'; // another Node or V8 than the build's
  // What happened to the cache, for tests and for someone asking why a run is slow.
  if (process.env['PBXPLAN_CODE_CACHE_REPORT'] === '1') process.stderr.write(`pbxplan: code cache of the ${name} group: ${state}\n`);
  const outer = createRequire(file);
  const shared = SHARED_MODULES as Record<string, unknown>;
  const require = (id: string) => (id.startsWith('pbxplan-shared:') ? shared[id.slice('pbxplan-shared:'.length)] : outer(id));
  const module = { exports: {} as { commands: Group } };
  (script.runInThisContext() as (...a: unknown[]) => void)(module.exports, require, module, file, dirname(file));
  // The build's training run: keep what V8 compiled during it (the functions the command ran too).
  if (process.env['PBXPLAN_WRITE_CODE_CACHE'] === '1') process.once('exit', () => writeFileSync(`${file}.cache`, Buffer.concat([sum, script.createCachedData()])));
  groups.set(name, module.exports.commands);
  return module.exports.commands;
}
