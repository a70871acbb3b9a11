// The Plan: every decision the compiler makes, fully materialised (no undefined, lists in
// deployment order). plan.json is this object; templates only loop over it and print.
import type { HostRole } from './hosts.js';
import type { Platform, SecretRef } from './spec.js';

export const PLAN_FORMAT_VERSION = 1;

export type Topology = 'standalone' | 'cluster' | 'ha-onprem' | 'ha-aws';

/** A step runs as part of a plain run (`install`) or only when named (`restart`): the
 * documented restart order spans hosts, so the runbook runs it host by host (CL-CFG). */
export type Stage = 'install' | 'restart';

interface StepBase {
  id: string; // unique within the host; what --only/--from take
  title: string;
  stage: Stage;
  /** Why the step exists: the guide or domain rule it implements. */
  source: string;
}

/** Docker Engine, the Compose plugin and firewalld present; else the vendor installer. */
export interface DockerStep extends StepBase {
  kind: 'docker';
  installer: string; // file name inside scripts dir
}

/** A directory that must exist before a vendor script runs (-f paths: C11). */
export interface DirStep extends StepBase {
  kind: 'dir';
  path: string;
}

/** `cd <scripts> && /bin/sh <script> run <args…>`, guarded by the container it creates (C30). */
export interface VendorRunStep extends StepBase {
  kind: 'vendor-run';
  script: string;
  args: string[]; // argv after the script name, secret excluded
  container: string; // exists ⇒ already done; running ⇒ verified
  /** A flag whose value is read at run time from a secret reference (the IM token). */
  secret: { flag: string; ref: SecretRef; label: string } | null;
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

/** A vendor restart, recorded by a marker keyed to the cluster's membership. */
export interface VendorRestartStep extends StepBase {
  kind: 'vendor-restart';
  script: string;
  args: string[];
  marker: string; // file name under the state directory
  fingerprint: string; // changes whenever a restart becomes necessary again
}

export type HostStep = DockerStep | DirStep | VendorRunStep | TrustSourceStep | FirewallReloadStep | VendorRestartStep;

export interface Preflight {
  /** Any one of these must be configured on an interface: the script is on the right host. */
  addresses: string[];
  cpus: number | null;
  memoryGb: number | null;
  diskGb: number | null;
  /** Vendor scripts the host's steps call, looked up in paths.scripts. */
  vendorScripts: string[];
  /** Secrets the steps read; each must be readable before anything changes. */
  secrets: { label: string; ref: SecretRef }[];
}

export interface PlanHost {
  hostname: string;
  role: HostRole;
  serverName: string | null; // the portal name of a media/queue/meeting/IVR server
  privateIp: string;
  publicIp: string | null;
  script: string; // bundle path of its install.sh
  preflight: Preflight;
  steps: HostStep[];
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
}

/** One entry of the runbook, in order. `where` is a host name or "portal". */
export type ProcedureItem =
  | { kind: 'check-all'; id: string; where: 'all hosts'; hosts: string[] }
  | { kind: 'run-host'; id: string; where: string; hostname: string; role: HostRole; stepIds: string[] }
  | { kind: 'portal-wizard'; id: string; where: 'portal'; url: string; privateIp: string; publicIp: string | null }
  | { kind: 'portal-whitelist'; id: string; where: 'portal'; expires: string; entries: { ip: string; host: string }[] }
  | { kind: 'portal-disable-defaults'; id: string; where: 'portal'; menus: string[] }
  | { kind: 'portal-add-servers'; id: string; where: 'portal'; servers: PortalServer[] }
  | { kind: 'portal-im-token'; id: string; where: 'portal'; hostname: string; ref: SecretRef }
  | { kind: 'portal-dataflow-token'; id: string; where: 'portal' }
  | { kind: 'restart-host'; id: string; where: string; hostname: string; what: string; stepIds: string[] }
  | { kind: 'portal-verify'; id: string; where: 'portal'; servers: { menu: string; name: string; ip: string }[] };

export interface ProcedurePhase {
  id: string;
  title: string;
  items: ProcedureItem[];
}

export interface Decision {
  id: string; // a domain doc-error id (E50) or a rule id
  choice: string;
}

export interface Plan {
  formatVersion: number;
  generatedBy: string;
  specSha256: string;
  cluster: {
    name: string;
    description: string;
    platform: Platform;
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
  procedure: ProcedurePhase[];
  decisions: Decision[];
}
