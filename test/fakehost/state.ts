// Fake hosts that live across runs: `npm run fakehost -- --state DIR BUNDLE` runs each host of
// BUNDLE once on the fake root DIR/<hostname> (created on first use, continued afterwards), so a
// change bundle can be applied to the hosts an earlier bundle installed; `--state DIR --dump`
// prints the hosts' state as one sorted line per fact, so two states compare with `diff`:
//   <host> container <name> image=<image> running=<yes|no> args=<arguments>
//   <host> firewall <permanent|runtime> <zone> source <address>
//   <host> firewall <permanent|runtime> <zone> service <service>
//   <host> file <path> sha256=<hex>          (files the bundles manage: file-sync, dir steps;
//                                             comment lines left out)
//   portal whitelist|server …                (the web portal as the runbook had it kept: portal.ts)
// Hosts reached over SSH from an HA control node are dumped under their own address.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { bundleHosts, DUMMY_TOKEN, setUpHost, type BundleHost, type HostSetup } from './bundle.js';
import { converge } from './cycle.js';
import { portalFacts } from './portal.js';

const USAGE = `Usage: npm run fakehost -- --state DIR BUNDLE_DIR [--host NAME] [--check] [--token VALUE]
       npm run fakehost -- --state DIR --dump

Applies the bundle to the fake roots DIR/<hostname> (created on first use, continued afterwards)
in its runbook's order: each host's install.sh (--yes; restart steps with --only), the portal
work kept in DIR/.portal; prints one line per run: <host> <args> exit=<code> mutations=<n>.
--check runs each host's install.sh --check instead; --host NAME runs only those hosts, once
each. --dump prints the state of every host in DIR and the portal, one sorted line per fact.`;

/** Paths the bundles manage on a host, remembered across runs (the dump reads them). */
const MANAGED = '.fakehost/managed-files';

function readLines(file: string): string[] {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((l) => l !== '') : [];
}

/** The host of BUNDLE on its root in DIR, continued when it exists. */
export function setUpStateHost(h: BundleHost, stateDir: string, opts: { token?: string } = {}): HostSetup {
  const root = join(stateDir, h.host.hostname);
  const setup = setUpHost(h, { token: opts.token ?? DUMMY_TOKEN, root });
  const managed = new Set(readLines(join(root, MANAGED)));
  for (const s of h.host.steps) {
    const step = s as { kind: string; target?: string; path?: string };
    if (step.kind === 'file-sync' && step.target) managed.add(step.target);
    if (step.kind === 'dir' && step.path) managed.add(step.path);
  }
  writeFileSync(join(root, MANAGED), [...managed].sort().map((p) => p + '\n').join(''));
  return setup;
}

/** A marker's content as the dump prints it: one short printable line as it is, else a hash. */
function markerValue(file: string): string {
  const text = readFileSync(file);
  const line = text.toString('utf8').replace(/\n$/, '');
  return /^[\x21-\x7e][\x20-\x7e]{0,159}$/.test(line) ? line : `sha256=${createHash('sha256').update(text).digest('hex')}`;
}

function walkFiles(dir: string, rel = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((e) => (e.isDirectory() ? walkFiles(join(dir, e.name), `${rel}${e.name}/`) : [`${rel}${e.name}`]));
}

const RUNNING = new Set(['1', 'true', 'yes']);

function rootFacts(name: string, root: string): string[] {
  const st = join(root, '.fakehost', 'state');
  const out: string[] = [];
  const first = (file: string) => (readLines(file)[0] ?? '').trim();
  // Containers with their image, state, compose project and arguments (generation left out: a
  // recreated container is the same fact).
  const containers = join(st, 'docker', 'containers');
  if (existsSync(containers)) {
    for (const c of readdirSync(containers).sort()) {
      const f = (k: string) => first(join(containers, c, k));
      const args = readLines(join(containers, c, 'args')).join(' ');
      out.push(`${name} container ${c} image=${f('image')} running=${RUNNING.has(f('running')) ? 'yes' : 'no'} project=${f('project') || '-'} args=${args}`);
    }
  }
  // Images present (by the stand-ins' key: the name with / and : as _), with their version label.
  const images = join(st, 'docker', 'images');
  if (existsSync(images)) for (const i of readdirSync(images).sort()) out.push(`${name} image ${i} version=${first(join(images, i))}`);
  // firewalld, both layers: what each zone binds (sources, services, ports, rich rules) and the
  // services the permanent configuration defines with their ports.
  for (const layer of ['permanent', 'runtime']) {
    const zones = join(st, 'firewalld', layer, 'zones');
    if (existsSync(zones)) {
      for (const zone of readdirSync(zones).sort()) {
        for (const [file, word] of [['sources', 'source'], ['services', 'service'], ['ports', 'port'], ['rich-rules', 'rich-rule']] as const) {
          for (const v of readLines(join(zones, zone, file))) out.push(`${name} firewall ${layer} ${zone} ${word} ${v}`);
        }
      }
    }
    const services = join(st, 'firewalld', layer, 'services');
    if (existsSync(services)) for (const svc of readdirSync(services).sort()) out.push(`${name} firewall ${layer} service-definition ${svc} ports=${readLines(join(services, svc)).join(',')}`);
  }
  // pbxplan's own markers (install records, restart fingerprints, confirmations).
  const markers = join(root, 'var', 'lib', 'pbxplan');
  for (const rel of walkFiles(markers)) out.push(`${name} marker ${rel} ${markerValue(join(markers, rel))}`);
  // /etc/hosts entries (HA hosts-entry steps), one per line, blanks squeezed.
  for (const l of readLines(join(root, 'etc', 'hosts'))) if (l.trim() && !l.trim().startsWith('#')) out.push(`${name} etc-hosts ${l.trim().split(/\s+/).join(' ')}`);
  // Files the bundles manage (file-sync targets, dir steps): a file no bundle keeps is no fact.
  for (const p of readLines(join(root, MANAGED))) {
    const file = join(root, p);
    if (!existsSync(file)) continue;
    if (statSync(file).isDirectory()) out.push(`${name} file ${p} directory`);
    // Comment lines left out: a generated file's header names the spec it came from, which two
    // specs that differ in their comments only do not share.
    else out.push(`${name} file ${p} sha256=${createHash('sha256').update(readFileSync(file, 'utf8').replace(/^[ \t]*#.*\n/gm, '')).digest('hex')}`);
  }
  const remote = join(root, '.fakehost', 'remote');
  if (existsSync(remote)) for (const addr of readdirSync(remote).sort()) out.push(...rootFacts(`${name}@${addr}`, join(remote, addr)));
  return out;
}

/** Every host of DIR, one sorted line per fact. */
export function dumpState(stateDir: string): string[] {
  if (!existsSync(stateDir)) return [];
  const lines = readdirSync(stateDir)
    .filter((h) => existsSync(join(stateDir, h, '.fakehost')))
    .flatMap((h) => rootFacts(h, join(stateDir, h)));
  return [...lines, ...portalFacts(stateDir)].sort();
}

export async function stateMain(argv: string[]): Promise<number> {
  let values;
  let positionals;
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { state: { type: 'string' }, dump: { type: 'boolean' }, check: { type: 'boolean' }, host: { type: 'string', multiple: true }, token: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (e) {
    process.stderr.write(`fakehost: ${(e as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  const stateDir = resolve(values.state!);
  if (values.dump) {
    if (positionals.length) {
      process.stderr.write(`fakehost: --dump takes no bundle\n\n${USAGE}\n`);
      return 2;
    }
    process.stdout.write(dumpState(stateDir).map((l) => l + '\n').join(''));
    return 0;
  }
  if (positionals.length !== 1 || !existsSync(resolve(positionals[0]!, 'plan.json'))) {
    process.stderr.write(`fakehost: name one compiled bundle directory\n\n${USAGE}\n`);
    return 2;
  }
  const bundle = resolve(positionals[0]!);
  if (values.host?.length) {
    // Some hosts only: each once, in plan order (no runbook, no portal).
    let bad = 0;
    for (const h of bundleHosts(bundle).filter((x) => values.host!.includes(x.host.hostname))) {
      const setup = setUpStateHost(h, stateDir, values.token !== undefined ? { token: values.token } : {});
      const r = await converge(setup, setup.script, values.check ? ['--check'] : ['--yes']);
      if (r.result.code !== 0) bad++;
      process.stdout.write(`${h.host.hostname} exit=${r.result.code} mutations=${r.result.mutations.length}\n`);
    }
    return bad ? 1 : 0;
  }
  // The whole bundle in its runbook's order, the portal work included (apply.ts).
  const { applyBundle } = await import('./apply.js');
  const runs = await applyBundle(bundle, stateDir, { ...(values.check ? { each: ['--check'] } : {}), ...(values.token !== undefined ? { token: values.token } : {}) });
  for (const r of runs) {
    process.stdout.write(`${r.host}${r.args.length ? ` ${r.args.join(' ')}` : ` (${r.item})`} exit=${r.code} mutations=${r.mutations.length}\n`);
    if (r.host === 'portal' && r.code) process.stdout.write(`  ! ${r.stderr.replace(/\n/g, '\n  ! ')}\n`);
  }
  return runs.some((r) => r.code !== 0) ? 1 : 0;
}
