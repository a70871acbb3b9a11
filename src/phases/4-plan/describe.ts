// Plain-language guard / action / verify for each step, written into plan.json so a reviewer
// reads what every step checks, does and verifies without reading bash.
import type { DraftStep, HostStep, StepText, UpgradePullSource, VendorCall } from '../../model/plan.js';

const same = (checks: string, does: string): StepText => ({ checks, does, verifies: `${checks} (the check again)` });

/** A call as one line: script, subcommand and argv (secrets are placeholders already). */
const line = (c: VendorCall) => [c.script, ...(c.subcommand ? [c.subcommand] : []), ...c.argv].join(' ');
const callOf = (s: DraftStep, purpose: VendorCall['purpose']) => s.calls.find((c) => c.purpose === purpose)!;

export function describeStep(s: DraftStep): StepText {
  switch (s.kind) {
    case 'docker':
      return same('docker, docker compose and an active firewalld are present', `runs the vendor ${callOf(s, 'action').script}`);
    case 'dir':
      return same(`directory ${s.path} exists`, `creates ${s.path}`);
    case 'vendor-run':
      return {
        checks: `container ${s.container} is running, installed with these arguments (fingerprint ${s.fingerprint}; a different one is drift and stops the run)`,
        does: `runs ${line(callOf(s, 'action'))} from the scripts directory; a stopped container is started with ${line(callOf(s, 'start'))} instead`,
        verifies: `container ${s.container} is running`,
      };
    case 'trust-source':
      return same(`firewalld's permanent trusted zone has source ${s.address}`, `adds ${s.address} to the permanent trusted zone`);
    case 'firewall-reload':
      return same(`the running trusted zone has every source: ${s.sources.join(', ')}`, 'reloads firewalld');
    case 'vendor-restart':
      return same(`marker ${s.marker} holds fingerprint ${s.fingerprint}`, `runs ${line(callOf(s, 'action'))}, then writes the marker`);
    case 'hosts-entry':
      return same(`/etc/hosts maps ${s.name} to ${s.address}`, `appends "${s.address} ${s.name}" to /etc/hosts`);
    case 'ssh-key':
      return same('the HA account has ~/.ssh/id_rsa.pub', 'creates an RSA key pair without passphrase as the HA account');
    case 'ssh-access':
      return same(`ssh -o BatchMode=yes to ${s.address} succeeds as the HA account`, `runs ssh-copy-id to ${s.address} (asks for the account's password)`);
    case 'file-sync':
      return same(`${s.target} has the same content as the bundle's ${s.file}`, `installs the bundle's ${s.file} as ${s.target}`);
    case 'ha-once':
      return same(`marker ${s.marker} holds fingerprint ${s.fingerprint}`, `runs ${line(callOf(s, 'action'))} from the HA package as the HA account, then writes the marker`);
    case 'ha-deploy':
      return same(`${line(callOf(s, 'probe'))} lists the pbx resource as Started`, `runs ${line(callOf(s, 'action'))} from the HA package as the HA account`);
    case 'ha-extend':
      return same(`container ${s.container} exists on ${s.targets.join(', ')} (over SSH; marker ${s.marker} where it cannot be inspected; a marker with another fingerprint than ${s.fingerprint} is drift)`, `runs ${line(callOf(s, 'action'))} from the HA package as the HA account`);
    case 'reboot-node':
      return same(`marker ${s.marker} holds fingerprint ${s.fingerprint}`, `reboots ${s.node} over SSH and waits for a new boot id, then writes the marker`);
    case 'reboot-self':
      return same(`marker ${s.marker} holds fingerprint ${s.fingerprint} and a boot id older than the current one`, 'records the boot id and reboots this host; the next run resumes after this step');
    case 'checkpoint':
      return same(`marker ${s.marker} holds fingerprint ${s.fingerprint}`, `asks "${s.prompt}" on a terminal, or takes --portal-done or the file ${s.confirmFile} in the state directory (never --yes); without a confirmation stops with exit 5; then writes the marker`);
    case 'vendor-scripts':
      return same(`each of ${s.scripts.map((x) => x.name).join(', ')} in the scripts directory equals the bundle's copy`, 'copies the scripts that differ from the bundle');
    case 'ha-package':
      return same(`${s.target}/${s.probe} exists and marker ${s.marker} holds the package's sha256`, `unpacks ${s.file} into ${s.target}`);
    case 'debs':
      return same('docker, docker compose and firewalld are installed', `installs the bundled packages (${s.files.length} files) without downloading`);
    case 'registry-mirror':
      return same(`/etc/docker/daemon.json lists ${s.mirror} under registry-mirrors`, 'merges the mirror into daemon.json, keeping other keys, and restarts Docker');
    case 'registry-login':
      return same(`Docker's stored logins (/root/.docker/config.json) name ${s.server}`, `pipes the registry password into ${line(callOf(s, 'action'))}`);
    case 'local-registry':
      return same(`container ${s.container} is running and the registry on ${s.address} holds ${s.seeds.join(', ')}`, `runs ${s.image} as ${s.container} on ${s.address} (data in ${s.dataDir}) if it is not running, then pushes each image it lacks`);
    case 'upgrade-check':
      return {
        checks: `the ${s.role.label} already runs ${s.role.toImage} (then nothing is checked or changed)`,
        does: `checks, changing nothing: ${s.role.containers[0]?.name ?? 'the role'} runs ${s.role.fromImage} with version label ${s.role.fromVersion} and the vendor record says ${s.role.fromImage} (or marker ${s.marker} shows an upgrade begun here); ${[...new Set(s.role.containers.map((c) => c.fromImage))].join(' and ')} ${s.role.containers.length > 1 && s.role.containers[1]!.fromImage !== s.role.fromImage ? 'are' : 'is'} on the host to be saved for rollback; ${s.backupDir} is writable and has room for ${s.backupSources.join(', ')}; ${pullText(s.pullFrom, s.role.toImage)}${s.after ? `; ${s.after.hostname} answers at ${s.after.url}` : ''}`,
        verifies: 'the same checks passed',
      };
    case 'upgrade-backup':
      return {
        checks: `marker ${s.marker} holds fingerprint ${s.fingerprint}, or the ${s.role.label} already runs ${s.role.toImage}`,
        does: `${s.calls.length ? `stops the ${s.role.label} (${line(s.calls[0]!)}), ` : ''}archives ${s.sources.join(', ')} into ${s.archive}, saves ${s.role.fromImage} into ${s.imageArchive}${s.secondImage ? ` and ${s.secondImage.image} into ${s.secondImage.archive}` : ''}${s.calls.length ? `, starts it again (${line(s.calls[1]!)})` : ''}; logs where and how large`,
        verifies: `both archives exist and are not empty`,
      };
    case 'vendor-upgrade':
      return {
        checks: `${s.role.containers.map((c) => `${c.name} runs ${c.toImage}`).join(', ')}, ${s.role.containers[0]?.name}'s version label is ${s.role.toVersion}, and ${line(callOf(s, 'probe'))} answers`,
        does: `runs ${s.calls.filter((c) => c.purpose === 'action').map(line).join(', then ')} with /bin/sh from the scripts directory; on failure prints the rollback from the backup`,
        verifies: 'the health gate: the check again',
      };
    case 'role-remove':
      return {
        checks: `${s.container ? `container ${s.container} is absent` : `the install record ${s.record} is absent`}${s.recreatedAs ? `, or record ${s.record} holds the new install's fingerprint ${s.recreatedAs} (recreated already)` : ''}`,
        does: `runs ${line(callOf(s, 'action'))} (containers only; data kept), then deletes ${[s.record, ...s.alsoRemoves].join(', ')}`,
        verifies: s.container ? `container ${s.container} is absent` : `the install record ${s.record} is absent`,
      };
    case 'trust-remove':
      return same(`neither the permanent nor the running trusted zone has source ${s.address}`, `removes ${s.address} from the permanent and the running trusted zone`);
    case 'marker-record':
      return same(`marker ${s.marker} holds fingerprint ${s.fingerprint}`, `writes the marker (step ${s.of} needs no run for this change)`);
    case 'purge':
      return same(`none of ${s.paths.join(', ')} exists`, `deletes ${s.paths.join(', ')}`);
    case 'image-load':
      return same(`docker image inspect ${s.image} succeeds`, `loads ${s.file}${s.alias ? ` and tags ${s.alias} as ${s.image}` : ''}`);
  }
}

/** The step with its reviewer text. */
/** Where an upgrade's pre-flight checks the NEW images can be pulled from, in words. */
function pullText(p: UpgradePullSource, image: string): string {
  if (p.via === 'local-registry') return `the bundle's registry answers on ${p.address} and holds ${p.images.map((i) => i.image).join(', ')} or the bundle carries ${p.images.length > 1 ? 'their tarballs' : 'its tarball'}`;
  if (p.via === 'registry') return `the site registry ${p.server} answers${p.login ? ' and Docker has a stored login for it (the vendor script pulls with it)' : ''}`;
  return `Docker Hub (or the daemon's mirror) answers for ${image}`;
}

export function described(s: DraftStep): HostStep {
  return { ...s, ...describeStep(s) } as HostStep;
}
