// The Plan: every decision the compiler makes, fully materialised (no undefined, lists in
// deployment order). plan.json is this object; templates only loop over it and print.
import type { HostRole } from './hosts.js';
import type { Platform, SecretRef } from './spec.js';

export const PLAN_FORMAT_VERSION = 2;

export type Topology = 'standalone' | 'cluster' | 'ha-onprem' | 'ha-aws';

/** A step runs as part of a plain run (`install`) or only when named (`restart`): the
 * documented restart order spans hosts, so the runbook runs it host by host (CL-CFG). */
export type Stage = 'install' | 'restart';

/** A secret argument of a vendor call: argv[index] holds its placeholder, the value is read on the
 * host at run time from `ref` and never appears in the bundle. */
export interface CallSecret {
  index: number; // into argv
  label: string; // "IM token", "registry password"
  ref: SecretRef;
}

/** One invocation of vendor code, exactly as the host script makes it. */
export interface VendorCall {
  /** action: what the step does · start: instead of the action, for a stopped container ·
   * probe: what the guard asks (read-only). */
  purpose: 'action' | 'start' | 'probe';
  script: string; // file name
  /** Where the script is: the control scripts directory (paths.scripts), the HA package
   * (paths.haGuide), or a system tool found on PATH (`docker login`). */
  dir: 'scripts' | 'ha-guide' | 'path';
  /** How it is run: `/bin/sh` as root, or `/bin/bash` as the HA account (the HA package's scripts). */
  as: 'root' | 'ha-account';
  subcommand: string | null; // run, start, restart, status, show; null for scripts without one
  argv: string[]; // after the subcommand; secrets as placeholders (see secrets)
  secrets: CallSecret[];
  /** A secret the call reads on standard input instead of its command line (`docker login
   * --password-stdin`); absent when there is none. */
  stdin?: { label: string; ref: SecretRef };
  pulls: string[]; // images the call pulls (the vendor scripts pull on every run, C32)
}

/** A place in the spec that caused a step: its YAML path and the line it starts on (1-based). */
export interface Origin {
  path: string; // e.g. "servers[3]", "release.pbxImage"
  line: number;
}

interface StepBase {
  id: string; // unique within the host; what --only/--from take
  title: string;
  stage: Stage;
  /** Why the step exists: the guide or domain rule it implements. */
  source: string;
  /** The spec places that caused it; never empty. */
  origin: Origin[];
  /** The vendor code it runs, in order (empty when it runs none). */
  calls: VendorCall[];
  /** In words, for reviewers of plan.json: the guard, the action and the verification. */
  checks: string;
  does: string;
  verifies: string;
}

/** Docker Engine, the Compose plugin and firewalld present; else the vendor installer (calls[0]). */
export interface DockerStep extends StepBase {
  kind: 'docker';
}

/** A directory that must exist before a vendor script runs (-f paths: C11). */
export interface DirStep extends StepBase {
  kind: 'dir';
  path: string;
}

/** `<script> run …` (calls[0]), guarded by the container it creates (C30); a stopped container is
 * started with calls[1] instead. */
export interface VendorRunStep extends StepBase {
  kind: 'vendor-run';
  container: string; // running ⇒ done; absent ⇒ run; stopped ⇒ start (never run again, C30)
  /** Digest of the run call, recorded after the run: a different one later is drift (C29). */
  fingerprint: string;
  /** Change bundles only: the fingerprint of the install a role-remove step before this one takes
   * away (a recreate). Until it has run (--check, --dry-run), that install is pending, not drift. */
  replaces?: string;
}

/** A permanent trusted source on the main PBX (C24). */
export interface TrustSourceStep extends StepBase {
  kind: 'trust-source';
  address: string; // an IPv4 address or network
}

/** firewall-cmd --reload, only when the runtime configuration lacks a permanent source. */
export interface FirewallReloadStep extends StepBase {
  kind: 'firewall-reload';
  sources: string[];
}

/** A vendor restart (calls[0]), recorded by a marker keyed to the cluster's membership. */
export interface VendorRestartStep extends StepBase {
  kind: 'vendor-restart';
  marker: string; // file name under the state directory
  fingerprint: string; // changes whenever a restart becomes necessary again
}

// ---- HA (domain §1.3–1.4): everything after host preparation runs on pbx01 -----------------

/** An `IP hostname` line in /etc/hosts, added only when missing (OP-INST appends blindly). */
export interface HostsEntryStep extends StepBase {
  kind: 'hosts-entry';
  address: string;
  name: string;
}

/** The SSH key pair of the HA account on pbx01 (OP-INST). */
export interface SshKeyStep extends StepBase {
  kind: 'ssh-key';
}

/** Password-less SSH from pbx01 to a host; ssh-copy-id asks for the account's password once. */
export interface SshAccessStep extends StepBase {
  kind: 'ssh-access';
  target: string; // host name, for messages
  address: string;
}

/** A per-host file of the bundle copied into place only when its content differs. */
export interface FileSyncStep extends StepBase {
  kind: 'file-sync';
  file: string; // file name beside install.sh in the bundle
  target: string; // absolute path on the host
}

/** A vendor HA script (calls[0]) run once per input fingerprint (no documented state to test). */
export interface HaOnceStep extends StepBase {
  kind: 'ha-once';
  marker: string;
  fingerprint: string;
}

/** deploy_pbx.sh (calls[0]), guarded by the HA status (calls[1]: ha_ctl.sh status on premises,
 * show on AWS, domain E32) showing the PBX resource started. */
export interface HaDeployStep extends StepBase {
  kind: 'ha-deploy';
}

/** extend.sh/im.sh/dataflow.sh/sbc.sh run from pbx01 (calls[0]), guarded by the container on every target. */
export interface HaExtendStep extends StepBase {
  kind: 'ha-extend';
  container: string;
  targets: string[]; // addresses of the hosts that must carry the container
  marker: string; // written after a successful run: the fallback when containers cannot be inspected
  /** Digest of the run call, kept in the marker: a different one later is drift (C29). */
  fingerprint: string;
}

/** Reboot another node from pbx01 and wait until it is back with a new boot id. */
export interface RebootNodeStep extends StepBase {
  kind: 'reboot-node';
  node: string;
  address: string;
  marker: string;
  fingerprint: string; // of the HA inputs: new dependencies mean a new reboot
}

/** Reboot the host running the script; the run stops and resumes on the next run. */
export interface RebootSelfStep extends StepBase {
  kind: 'reboot-self';
  marker: string;
  fingerprint: string;
}

/** A manual step (web portal) the operator confirms before the script goes on. */
export interface CheckpointStep extends StepBase {
  kind: 'checkpoint';
  prompt: string;
  /** The file (in the host's state directory) an operator may create instead of --portal-done;
   * the step removes it once it has recorded the confirmation. */
  confirmFile: string;
  marker: string;
  fingerprint: string; // changes when the manual work changes (new servers)
}

/** What a step reads like for reviewers of plan.json: the guard, the action and the verification. */
export interface StepText {
  checks: string;
  does: string;
  verifies: string;
}

/** A step as the topology and air-gap passes decide it, before it is described. */
export type DraftStep = DistributiveOmit<HostStep, keyof StepText>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export type HostStep =
  | DockerStep
  | DirStep
  | VendorRunStep
  | TrustSourceStep
  | FirewallReloadStep
  | VendorRestartStep
  | HostsEntryStep
  | SshKeyStep
  | SshAccessStep
  | FileSyncStep
  | HaOnceStep
  | HaDeployStep
  | HaExtendStep
  | RebootNodeStep
  | RebootSelfStep
  | CheckpointStep
  | VendorScriptsStep
  | HaPackageStep
  | DebsStep
  | RegistryMirrorStep
  | RegistryLoginStep
  | LocalRegistryStep
  | ImageLoadStep
  | UpgradeCheckStep
  | UpgradeBackupStep
  | VendorUpgradeStep
  | RoleRemoveStep
  | TrustRemoveStep
  | PurgeStep
  | MarkerRecordStep;

// ---- change bundles (domain §5.1, §5.5): steps built by planChange --------------------------

/** A role taken off its host with the vendor's `rm` (calls[0]; containers only, data kept). For a
 * retired host that is the end of it; for a recreate the NEW install's vendor-run step follows. */
export interface RoleRemoveStep extends StepBase {
  kind: 'role-remove';
  /** Absent ⇒ done; null when the role runs on another host (HA: removed from pbx01, where
   * only its record tells). */
  container: string | null;
  /** The install record of the role (the vendor-run or HA deploy step's marker), removed with the role. */
  record: string;
  /** Other markers of the role that go with it (a retired role's restart marker). */
  alsoRemoves: string[];
  /** recreate: the fingerprint the NEW install records; a record holding it means the role was
   * recreated already (done). null for a retired role. */
  recreatedAs: string | null;
  /** A recreate for a new secret reference alone (the install's fingerprint is the same): the
   * role is recreated already when its container runs with the secret read from `ref`. */
  tokenRef?: SecretRef;
}

/** A trusted source no longer wanted, taken out of firewalld's permanent and runtime configuration. */
export interface TrustRemoveStep extends StepBase {
  kind: 'trust-remove';
  address: string;
}

/** A marker brought to what the NEW install records without running its step: the change forces
 * no restart (or confirmation) here, so none is pending for the new membership. */
export interface MarkerRecordStep extends StepBase {
  kind: 'marker-record';
  marker: string;
  fingerprint: string;
  /** The NEW install's step whose marker this is. */
  of: string;
}

/** compile --purge: a retired role's data directories deleted (after its role-remove step). */
export interface PurgeStep extends StepBase {
  kind: 'purge';
  paths: string[]; // absolute
}

// ---- upgrade bundles (domain §5.2–5.3): steps built by planUpgrade ---------------------------

/** What one host's role runs before and after an upgrade, as its containers and the vendor's
 * record show it. Every upgrade step of the host shares it. */
export interface UpgradeRole {
  label: string; // "PBX", "media server", …
  /** Containers and their images before and after (the first is the role's main container:
   * its image's version label is what the pre-flight and the health gate read). */
  containers: { name: string; fromImage: string; toImage: string }[];
  fromImage: string;
  fromVersion: string; // the tag; the version label must equal it or be a release of it (22.3 → 22.3.x)
  toImage: string;
  toVersion: string;
  /** The vendor's record of the install, under paths.scripts, and its key holding the image. */
  record: string;
  recordKey: string;
  /** The vendor's directory of records and compose files under paths.scripts ('' for the SBC,
   * whose record sits in paths.scripts itself): root's only after the upgrade too. */
  vendorDir: string;
}

/** Upgrade pre-flight: read-only; every host runs it (--only upgrade-check) before any host changes. */
export interface UpgradeCheckStep extends StepBase {
  kind: 'upgrade-check';
  role: UpgradeRole;
  backupDir: string; // absolute; must be writable and hold the backup
  backupSources: string[]; // what the backup step archives (absolute; those that exist)
  /** Another host that must answer first (the PBX, for every later host), or null. */
  after: { hostname: string; url: string } | null;
  /** Marker the backup step writes: present ⇒ an upgrade started here, the role may be down. */
  marker: string;
  /** Where the vendor's upgrade will pull the NEW images from, checked before any change. */
  pullFrom: UpgradePullSource;
}

/** Where an upgrade's NEW images come from. `local-registry`: the bundle's own registry on
 * loopback must answer, and each image is in it already or its tarball is in the bundle (the
 * image-load and local-registry steps put it there). `registry`: the site registry; `login`: the
 * vendor script pulls with Docker's stored login (pbx_ctl.sh has no registry options), which
 * must exist. `docker-hub`: Docker Hub or its mirror, which the network pre-flight checks. */
export type UpgradePullSource =
  | { via: 'local-registry'; address: string; images: { image: string; file: string | null }[] }
  | { via: 'registry'; server: string; login: boolean }
  | { via: 'docker-hub' };

/** The backup before the change: the role's data and records, and the OLD image for rollback. */
export interface UpgradeBackupStep extends StepBase {
  kind: 'upgrade-backup';
  role: UpgradeRole;
  sources: string[];
  /** The archive and the saved image, absolute paths under the backup directory. */
  archive: string;
  imageArchive: string;
  /** The old ClickHouse image when the upgrade changes it (a Data Flow host), saved beside. */
  secondImage: { image: string; archive: string } | null;
  marker: string;
  fingerprint: string;
}

/** The vendor's upgrade (the action calls, in order), then the health gate: every container
 * running the NEW image, its version label NEW, the role's status call (the probe) answering.
 * Every vendor upgrade tears the role down before it pulls: when a failed one left no main
 * container, the NEW install's run (the start call) brings the role up instead, data kept. */
export interface VendorUpgradeStep extends StepBase {
  kind: 'vendor-upgrade';
  role: UpgradeRole;
  /** Printed when the upgrade fails: how to go back from the backup (also in the runbook). */
  rollback: string[];
  /** The NEW install bundle's record of this role (its vendor-run step's marker), written once
   * the gate passes, so that the NEW bundle's --check finds the host converged, not drifted. */
  installMarker: { file: string; fingerprint: string } | null;
  /** Old images no container uses once the gate passed: removed, as the vendor's own upgrade
   * removes and prunes them (a fresh install by rm + run leaves them; the backup holds a copy). */
  removeImages: string[];
}

// ---- air-gapped bundle (docs/airgap.md): steps added by withOfflineSteps -------------------

/** Vendor scripts carried in the bundle, installed into paths.scripts when their content differs. */
export interface VendorScriptsStep extends StepBase {
  kind: 'vendor-scripts';
  scripts: { name: string; file: string }[]; // file: bundle path; sorted by name
}

/** The vendor HA package carried in the bundle, unpacked into paths.haGuide (control node). */
export interface HaPackageStep extends StepBase {
  kind: 'ha-package';
  file: string; // bundle path of the .tar.gz
  target: string; // paths.haGuide
  probe: string; // a file the package must provide, e.g. ha_ctl.sh
  marker: string; // state file holding the sha256 of the package last unpacked
}

/** Docker Engine, Compose and firewalld from bundled .deb files, only when one is missing. */
export interface DebsStep extends StepBase {
  kind: 'debs';
  files: string[]; // bundle paths, sorted
}

/** A Docker Hub mirror merged into /etc/docker/daemon.json (Appendix B.3 b). */
export interface RegistryMirrorStep extends StepBase {
  kind: 'registry-mirror';
  mirror: string; // URL without a trailing slash
}

/** The site registry's login, stored by Docker once per host (`docker login --password-stdin`,
 * calls[0]); the vendor scripts' pulls then use it, so they never get -U/-P. */
export interface RegistryLoginStep extends StepBase {
  kind: 'registry-login';
  server: string;
  username: string;
}

/** The bundle's own registry (docs/airgap.md "Without a site registry"): the registry image
 * from the bundle run on loopback, seeded with the images loaded from the bundle; the host's
 * Docker Hub mirror (a registry-mirror step) points at it, so the vendor scripts' pulls succeed
 * without the Internet. */
export interface LocalRegistryStep extends StepBase {
  kind: 'local-registry';
  container: string; // the registry's container name
  image: string; // the registry image, loaded from the bundle
  address: string; // 127.0.0.1:PORT, published on loopback only
  dataDir: string; // where the registry keeps its blobs on the host
  seeds: string[]; // Docker Hub names pushed into it, in order
}

/** An image tarball loaded only when `docker image inspect` fails. */
export interface ImageLoadStep extends StepBase {
  kind: 'image-load';
  image: string; // the reference the vendor scripts use
  alias: string | null; // the same image under its name without the site registry, tagged to `image` if that is what the tarball holds
  file: string; // bundle path of the tarball
}

export type ArtifactKind = 'vendor-script' | 'ha-package' | 'image' | 'debs';

/** One thing an air-gapped site must carry, and whether this bundle carries it. */
export interface PlanArtifact {
  id: string; // stable, e.g. "image:portsip/pbx:22.3"
  kind: ArtifactKind;
  /** Bundle path: a file, or for debs the directory (its files are `<package>_*.deb`). The
   * artifacts directory given to `compile --artifacts` has the same layout without `artifacts/`. */
  path: string;
  /** File names it needs (one), or for debs the package names that must each match one file. */
  required: string[];
  image: string | null; // kind image: the reference the tarball must hold (docker save)
  why: string;
  hosts: string[]; // host names that use it, in plan order
  /** bundled: in the bundle · missing: the artifacts directory lacks it (--allow-missing) ·
   * external: compiled without --artifacts, the hosts obtain it the vendor way. */
  state: 'bundled' | 'missing' | 'external';
  files: string[]; // bundle paths when bundled, sorted
  missing: string[]; // names from `required` not found, when missing
}

export interface AirgapPlan {
  /** Compiled with --artifacts (the bundle carries the artifacts whose state is bundled). */
  artifactsDir: boolean;
  /** A private registry: images are pulled from it with the login each host stores once (docker login --password-stdin). */
  registry: { server: string; username: string; passwordRef: SecretRef } | null;
  /** A Docker Hub mirror written into /etc/docker/daemon.json; no trailing slash. */
  registryMirror: string | null;
  /** The bundle's own loopback registry, when the bundle carries images (--artifacts) and the
   * spec names neither a registry nor a mirror; null otherwise. */
  localRegistry: { image: string; address: string; mirror: string } | null;
  artifacts: PlanArtifact[]; // scripts, HA package, images, debs; each sorted by path
}

export interface Preflight {
  /** Any one of these must be configured on an interface: the script is on the right host. */
  addresses: string[];
  cpus: number | null;
  memoryGb: number | null;
  diskGb: number | null;
  /** Vendor scripts the host's steps call, looked up in paths.scripts; those the bundle carries
   * are installed by the vendor-scripts step instead and are not listed (withOfflineSteps). */
  vendorScripts: string[];
  /** The control-script revision those scripts must be: each one's sha256 (release.scripts, or
   * the revision pbxplan knows); null when none of them has a known hash. */
  scriptPins: { revision: string; scripts: { script: string; sha256: string }[] } | null;
  /** Secrets the steps read; each must be readable before anything changes. */
  secrets: { label: string; ref: SecretRef }[];
  /** Vendor HA scripts the steps call, looked up in paths.haGuide (pbx01 only). */
  haScripts: string[];
  /** The account that must exist with sudo on this host (HA: the same everywhere, C6). */
  account: string | null;
  /** The HA data disk: present, blank (or already the HA volume) and of this size (C17). */
  dataDisk: { device: string; sizeGb: number } | null;
  /** AWS: the AWS CLI is installed and configured for this region (AWS-INST). */
  awsRegion: string | null;
  /** AWS: the EC2 instance id the spec names for this host; the preflight compares it with the
   * instance metadata service's (IMDSv2, else v1). null when the spec names none. */
  instanceId: string | null;
  /** AWS: the key pair file the HA scripts use to reach every host (pbx01 only). */
  sshKeyFile: string | null;
  /** HA nodes: the host's own name must be this one, as vars.yml and /etc/hosts say (C18). */
  hostname: string | null;
}

/** A file of the bundle beside a host's install.sh, rendered from plain key/value data. */
export interface HostFile {
  name: string; // e.g. vars.yml
  kind: 'ha-vars';
  entries: { key: string; value: string }[]; // in the documented key order
}

export interface PlanHost {
  hostname: string;
  role: HostRole;
  serverName: string | null; // the portal name of a media/queue/meeting/IVR server
  privateIp: string;
  publicIp: string | null;
  script: string; // bundle path of its install.sh
  /** HA: the account the vendor HA scripts and SSH run as; null when commands run locally. */
  haAccount: string | null;
  /** HA extended servers: the control node that deploys them; null otherwise. */
  deployedFrom: string | null;
  preflight: Preflight;
  steps: HostStep[];
  files: HostFile[];
}

export interface PortalServer {
  role: 'media' | 'queue' | 'meeting' | 'ivr';
  menu: string; // the portal page, e.g. "Servers > Media Servers"
  name: string;
  privateIp: string;
  publicIp: string | null;
  maxCallSessions: number | null;
  maxRooms: number | null;
  maxParticipants: number | null;
  /** Already registered in the portal under this role and name (spec portal.servers). */
  present: boolean;
}

export interface WhitelistEntry {
  ip: string;
  host: string;
  /** Already whitelisted in the portal until at least the spec's expiry (spec portal.whitelist). */
  present: boolean;
}

/** One entry of the runbook, in order. `where` is a host name or "portal". */
export type ProcedureItem =
  | { kind: 'check-all'; id: string; where: 'all hosts'; hosts: string[] }
  | { kind: 'run-host'; id: string; where: string; hostname: string; role: HostRole; stepIds: string[] }
  | { kind: 'portal-wizard'; id: string; where: 'portal'; url: string; privateIp: string; publicIp: string | null }
  | { kind: 'portal-whitelist'; id: string; where: 'portal'; expires: string; entries: WhitelistEntry[] }
  | { kind: 'portal-disable-defaults'; id: string; where: 'portal'; menus: string[] }
  | { kind: 'portal-add-servers'; id: string; where: 'portal'; servers: PortalServer[] }
  | { kind: 'portal-im-token'; id: string; where: 'portal'; hostname: string; ref: SecretRef | null }
  | { kind: 'portal-dataflow-token'; id: string; where: 'portal' }
  | { kind: 'restart-host'; id: string; where: string; hostname: string; what: string; stepIds: string[] }
  | {
      kind: 'portal-verify';
      id: string;
      where: 'portal';
      portalUrl: string;
      table: boolean; // any server to list (the servers, or a Data Flow server)
      servers: { menu: string; name: string; ip: string }[];
      im: boolean; // an IM server is among them (it shows its address)
      dataflow: { hostname: string; ip: string }[];
      ha: 'aws' | 'onprem' | null; // the HA cluster's own check
    }
  | { kind: 'portal-call-recovery'; id: string; where: 'portal' }
  | { kind: 'portal-sbc'; id: string; where: 'SBC portals'; pbxAddress: string; sbcs: { hostname: string; privateIp: string; publicIp: string | null }[] }
  | { kind: 'aws-console'; id: string; where: 'AWS console'; region: string; securityGroupId: string; sources: { ip: string; host: string }[]; subnetCidr: string }
  | { kind: 'aws-cli'; id: string; where: string; hosts: string[]; region: string }
  | { kind: 'run-control'; id: string; where: string; hostname: string; stepIds: string[]; stopsAt: string | null; note: string }
  | { kind: 'upgrade-preflight'; id: string; where: 'all hosts'; hosts: string[]; backupDir: string }
  | { kind: 'upgrade-host'; id: string; where: string; hostname: string; order: number; label: string; fromImage: string; toImage: string; stepIds: string[]; expectedDowntime: string; rollback: string[]; pointOfNoReturn: boolean }
  | { kind: 'upgrade-note'; id: string; where: string; title: string; text: string }
  | { kind: 'change-host'; id: string; where: string; hostname: string; what: string; stepIds: string[]; only: string | null; downtime: string | null; wayBack: string[] }
  | { kind: 'change-portal'; id: string; where: 'portal'; title: string; tasks: string[]; wayBack: string[] }
  | { kind: 'change-manual'; id: string; where: string; title: string; why: string; tasks: string[] }
  | { kind: 'ha-operations'; id: string; where: string; hostname: string; haDir: string; statusCommand: string; account: string; servers: { type: string; name: string; address: string }[]; im: boolean; dataflow: boolean; sbcAddresses: string };

export interface ProcedurePhase {
  id: string;
  title: string;
  items: ProcedureItem[];
}

/** A runbook item as the Plan holds it: with the spec places it comes from (finish adds them,
 * so the procedure builders stay as they are); never empty. */
export type PlanItem = ProcedureItem & { origin: Origin[] };

export interface PlanPhase extends Omit<ProcedurePhase, 'items'> {
  items: PlanItem[];
}

export interface Decision {
  id: string; // a domain doc-error id (E50) or a rule id
  choice: string;
}

/** A warning the spec's `waivers:` accepted, for the runbook, plan.json and SARIF. */
export interface AcceptedRisk {
  code: string;
  path: string; // the YAML path of the warning, e.g. servers[2].publicIp
  line: number | null; // its line in the spec
  message: string;
  reason: string;
  approvedBy: string;
  expires: string; // YYYY-MM-DD, the last day the acceptance holds
  waiver: string; // the waiver's own place, e.g. waivers[0]
}

export interface Plan {
  formatVersion: number;
  generatedBy: string;
  specSha256: string;
  /** The spec's file name (a base name, never a path), as origins and the source map name it. */
  specName: string;
  cluster: {
    name: string;
    description: string;
    platform: Platform;
    /** The account that reaches every host over SSH, with sudo (spec sshUser); present only
     * when the spec names one (the Ansible inventory's ansible_user). */
    sshUser?: string;
    topology: Topology;
    /** The address every cluster server, IM and Data Flow is pointed at (-x): C14. */
    pbxAddress: string;
    portalUrl: string;
  };
  release: {
    pbxImage: string;
    pbxVersion: string;
    clickhouseImage: string | null;
    postgresImage: string | null;
    sbcImage: string | null;
  };
  paths: { data: string; scripts: string; haGuide: string };
  whitelistExpires: string | null;
  hosts: PlanHost[];
  procedure: PlanPhase[];
  decisions: Decision[];
  airgap: AirgapPlan;
  /** Present only when a waiver accepted a warning, so plans without waivers keep their bytes. */
  acceptedRisks?: AcceptedRisk[];
  /** The spec's `protect:` list (roles or host names), present only when it has entries. */
  protect?: string[];
  /** Present only on an upgrade bundle (compile NEW --from OLD with only the release changed). */
  upgrade?: UpgradeSummary;
  /** Present only on a change bundle (compile NEW --from OLD with anything but the release changed). */
  change?: ChangeSummary;
}

/** The spec a plan was compiled from and the plan's own hash (planHash in 4-plan/change). */
export interface PlanIdentity {
  specName: string;
  specSha256: string;
  planHash: string;
}

/** A change bundle's facts: the plan it applies to, the plan it converges to, the changes (as
 * `pbxplan diff` gives them, worst first) and what each host's script checks before it starts. */
export interface ChangeSummary {
  base: PlanIdentity;
  target: PlanIdentity;
  /** The diff summary line by line, as the runbook opens with it. */
  summary: string[];
  changes: { action: string; reason: string; hosts: string[]; detail: string; manual: boolean; forces: string[] }[];
  /** Per host of the bundle: the install records the base leaves (file under the state directory →
   * fingerprint in OLD, and in NEW; null where that side has none). A host whose record holds
   * neither was installed from another base: its script stops (exit 3). */
  hosts: { hostname: string; records: { file: string; old: string | null; new: string | null }[] }[];
  /** compile --purge: retired roles' data directories are deleted. */
  purge: boolean;
  /** Changes the vendor documents no procedure for: the runbook gives manual steps, no script runs them. */
  manual: string[];
}

/** An upgrade bundle's facts: from which release to which, in which host order. */
export interface UpgradeSummary {
  fromImage: string;
  fromVersion: string;
  toImage: string;
  toVersion: string;
  /** Host names in the vendor's upgrade order. */
  order: string[];
  backupDir: string;
  /** The host whose upgrade cannot be undone without restoring its backup (the first change). */
  pointOfNoReturn: string;
}

/** What the topology planners decide: the Plan before the air-gap pass. */
export type TopologyPlan = Omit<Plan, 'airgap'>;
