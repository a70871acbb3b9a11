// npm run fakehost -- BUNDLE_DIR [options]: runs every host of a compiled bundle on a fake host of
// its own (--check, --dry-run, run, run again, --check, and --only restart twice where the host
// has restart steps) and prints one line per host. Exit 0 when every host converged and the
// second run changed nothing; 1 otherwise; 2 on a usage error. See docs/fakehost.md.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { bundleHosts, DUMMY_TOKEN, type BundleHost } from './bundle.js';
import { ansibleProblems, hasAnsible, recapLines, runAnsibleCycle } from './ansible.js';
import { cycleProblems, runCycle, summaryLine, type Cycle } from './cycle.js';
import { stateMain } from './state.js';
import { progressLine } from '../../src/progress.js';

const USAGE = `Usage: npm run fakehost -- BUNDLE_DIR [options]
       npm run fakehost -- --ansible BUNDLE_DIR

Runs each host's install.sh of a compiled bundle on a fake host of its own: --check, --dry-run,
run, run again, --check (and --only restart twice where the host has restart steps). Prints
  <host> run1=<exit>/<mutations> run2=<exit>/<mutations> check-before=<exit> check-after=<exit>
and exits 1 when a host did not converge or its second run changed something.

With --ansible, runs the bundle's ansible/site.yml (compile --ansible) against a fake host per
inventory host instead: --check, run, run again, --check; prints the play recap of each run and
exits 1 unless the first run converged (failed=0), the second changed nothing, and --check
reported exactly the steps install.sh --check reports pending (none after the runs).

Options:
  --ansible       run the bundle's Ansible playbook (needs ansible-playbook)
  --host NAME     only this host (repeatable)
  --token VALUE   the secret each host reads (IM token, registry password) instead of a dummy;
                  also FAKEHOST_TOKEN. It is put in the variable or file the spec names.
  --offline       a site without Internet access: apt, curl and image pulls fail, except
                  towards the registry and the mirror the spec names
  --keep          keep the fake roots and print where they are
  --verbose       print every run's output
  --jobs N        hosts run at once (default: CPUs + 1)
  -h, --help      this help

Hosts kept across runs: npm run fakehost -- --state DIR BUNDLE_DIR | --state DIR --dump
(see docs/fakehost.md, "State across runs").`;

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--state') || argv.some((a) => a.startsWith('--state='))) return stateMain(argv); // hosts kept across runs
  let values;
  let positionals;
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        host: { type: 'string', multiple: true },
        ansible: { type: 'boolean' },
        token: { type: 'string' },
        offline: { type: 'boolean' },
        keep: { type: 'boolean' },
        verbose: { type: 'boolean' },
        jobs: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    process.stderr.write(`fakehost: ${(e as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if (positionals.length !== 1) {
    process.stderr.write(`fakehost: name one bundle directory\n\n${USAGE}\n`);
    return 2;
  }
  const dir = resolve(positionals[0]!);
  if (!existsSync(resolve(dir, 'plan.json'))) {
    process.stderr.write(`fakehost: ${dir} is not a compiled bundle (no plan.json)\n`);
    return 2;
  }
  if (values.ansible) return ansibleMain(dir, values.token ?? process.env['FAKEHOST_TOKEN'] ?? DUMMY_TOKEN, values.keep === true);
  const jobs = values.jobs ? Number(values.jobs) : availableParallelism() + 1;
  if (!Number.isInteger(jobs) || jobs < 1) {
    process.stderr.write(`fakehost: --jobs takes a positive whole number\n`);
    return 2;
  }
  let hosts: BundleHost[] = bundleHosts(dir);
  if (values.host?.length) {
    const unknown = values.host.filter((n) => !hosts.some((h) => h.host.hostname === n));
    if (unknown.length) {
      process.stderr.write(`fakehost: no host ${unknown.join(', ')} in the bundle (it has ${hosts.map((h) => h.host.hostname).join(', ')})\n`);
      return 2;
    }
    hosts = hosts.filter((h) => values.host!.includes(h.host.hostname));
  }
  const token = values.token ?? process.env['FAKEHOST_TOKEN'] ?? DUMMY_TOKEN;
  const print = maskedPrinter(token);

  // Hosts run concurrently; lines are printed in plan order as soon as they are known.
  const results: (Cycle | Error | undefined)[] = new Array(hosts.length);
  let next = 0;
  let printed = 0;
  let bad = 0;
  let finished = 0;
  // A big bundle runs for minutes: "host n of N" on a terminal (stderr), cleared before each result line.
  const progress = progressLine(process.stderr, { env: process.env });
  const flush = () => {
    if (printed < hosts.length && results[printed] !== undefined) progress.done();
    while (printed < hosts.length && results[printed] !== undefined) {
      const r = results[printed]!;
      const name = hosts[printed]!.host.hostname;
      if (r instanceof Error) {
        bad++;
        print(`${name} error: ${r.message}\n`);
      } else {
        const problems = cycleProblems(r);
        if (problems.length) bad++;
        print(summaryLine(r) + '\n');
        for (const p of problems) print(`  ! ${p.replace(/\n/g, '\n    ')}\n`);
        if (values.verbose) {
          for (const [what, run] of Object.entries({ '--check': r.checkBefore, '--dry-run': r.dryRun, 'run 1': r.run1, 'run 2': r.run2, '--check again': r.checkAfter })) {
            print(`  --- ${what} (exit ${run.result.code})\n${indent(run.result.stderr)}`);
            for (const m of run.result.mutations) print(`    mutation: ${m}\n`);
          }
          for (const e of r.setup.fake.hostEffects()) print(`  host effect: ${e}\n`);
        }
        if (values.keep) process.stdout.write(`  fake root: ${r.setup.fake.root}\n`);
        else r.setup.fake.dispose();
      }
      printed++;
    }
    if (finished < hosts.length) progress.items(finished, hosts.length, `fakehost: host ${finished} of ${hosts.length} done, ${printed} reported`);
  };
  const worker = async () => {
    while (next < hosts.length) {
      const i = next++;
      try {
        results[i] = await runCycle(hosts[i]!, { token, offline: values.offline === true });
      } catch (e) {
        results[i] = e instanceof Error ? e : new Error(String(e));
      }
      finished++;
      flush();
    }
  };
  progress.items(0, hosts.length, `fakehost: host 0 of ${hosts.length} done`);
  await Promise.all(Array.from({ length: Math.min(jobs, hosts.length) }, worker));
  flush();
  progress.done();
  process.stdout.write(`${hosts.length - bad} of ${hosts.length} host(s) converged and idempotent\n`);
  return bad ? 1 : 0;
}

/** Prints what came from the fake hosts. The fake's records hold the secret as the vendor
 * script got it (its argv, its files): printed, it is masked, as pbxplan masks it in everything
 * it prints. */
function maskedPrinter(token: string): (text: string) => void {
  return (text) => void process.stdout.write(text.split(token).join('<the --token value>'));
}

async function ansibleMain(dir: string, token: string, keep: boolean): Promise<number> {
  if (!existsSync(resolve(dir, 'ansible', 'site.yml'))) {
    process.stderr.write(`fakehost: ${dir} has no ansible/site.yml; compile it with --ansible\n`);
    return 2;
  }
  if (!hasAnsible()) {
    process.stderr.write('fakehost: ansible-playbook is not installed (apt-get install -y ansible-core ansible-lint)\n');
    return 2;
  }
  const c = await runAnsibleCycle(dir, { token });
  const print = maskedPrinter(token);
  try {
    for (const [what, run] of Object.entries({ '--check': c.checkBefore, 'run 1': c.run1, 'run 2': c.run2, '--check again': c.checkAfter })) {
      print(`PLAY RECAP (${what}, exit ${run.code})\n${recapLines(run).map((l) => `  ${l}\n`).join('')}`);
    }
    const problems = ansibleProblems(c);
    for (const p of problems) print(`  ! ${p.replace(/\n/g, '\n    ')}\n`);
    process.stdout.write(problems.length ? `${problems.length} problem(s)\n` : `${c.fake.hosts.length} host(s) converged and idempotent under Ansible\n`);
    if (keep) process.stdout.write(`  control node: ${c.fake.control}\n${c.fake.hosts.map((h) => `  fake root of ${h.name}: ${h.setup.fake.root}\n`).join('')}`);
    return problems.length ? 1 : 0;
  } finally {
    if (!keep) c.fake.dispose();
  }
}

function indent(text: string): string {
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => `    ${l}\n`)
    .join('');
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`fakehost: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(2);
  },
);
