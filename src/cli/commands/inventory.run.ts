// pbxplan inventory: what it does when run (its table entry, help and options are in inventory.ts, loaded
// for every command line; this module only when the command runs).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { judgeBundle } from '../../bundles.js';
import { loadToolchain, PLAN_FORMAT_VERSION, renderInventory, type Plan } from '../../compiler.js';
import { CliError, UsageError, ioError } from '../errors.js';
import { bundleKind, readBundleDir } from '../io/bundle-dir.js';
import { printable } from '../io/terminal.js';
import { writeTextFile } from '../io/text-file.js';
import type { CommandContext } from '../command.js';

/** The plan of a bundle directory, read only once the bundle is intact (as `pbxplan verify`). */
function bundlePlan(dir: string): Plan {
  if (bundleKind(dir) !== 'dir') throw new CliError(`${dir} is a file; name a bundle directory (unpack an archive first)`);
  const read = readBundleDir(dir, true);
  const report = judgeBundle({ index: read.index, entries: read.entries, manifestSha256: read.manifestSha256 });
  if (!report.ok) throw new CliError(`${dir} is not an intact bundle (${report.findings.length} finding(s)); run pbxplan verify ${dir} to see them`, 4);
  let plan: Plan;
  try {
    plan = JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8')) as Plan;
  } catch (e) {
    if (e instanceof SyntaxError) throw new CliError(`${join(dir, 'plan.json')} is not JSON; compile the bundle again`);
    throw ioError(e, 'read', join(dir, 'plan.json'));
  }
  if (plan?.formatVersion !== PLAN_FORMAT_VERSION || !Array.isArray(plan.hosts) || typeof plan.cluster?.name !== 'string') {
    throw new CliError(`${join(dir, 'plan.json')} is not a plan of format ${PLAN_FORMAT_VERSION}; compile the bundle again with this pbxplan`);
  }
  return plan;
}

export async function run(ctx: CommandContext): Promise<number> {
  const out = ctx.values['out'] as string | undefined;
  if (out === undefined) throw new UsageError('inventory needs -o FILE', ctx.command);
  const plans = ctx.positionals.map(bundlePlan);
  const seen = new Map<string, string>();
  ctx.positionals.forEach((dir, i) => {
    const name = plans[i]!.cluster.name;
    const first = seen.get(name);
    if (first !== undefined) throw new CliError(`${first} and ${dir} are both cluster ${name}; name each cluster once`);
    seen.set(name, dir);
  });
  writeTextFile(out, renderInventory(plans, (await loadToolchain()).templates), ctx.values['force'] === true);
  const hosts = plans.reduce((n, p) => n + p.hosts.length, 0);
  ctx.io.err(printable(`wrote ${out}: ${plans.length} cluster(s), ${hosts} host(s)\n`));
  return 0;
}
