// Types of a spec that passed schema validation (schema/cluster.schema.json is the truth;
// these follow it). Optional keys stay optional here: defaults are applied in the plan phase.

export type Platform = 'onprem' | 'aws';
export type ServerRole = 'media' | 'queue' | 'meeting' | 'ivr' | 'im' | 'dataflow' | 'sbc';
export type PortalRole = 'media' | 'queue' | 'meeting' | 'ivr';

export interface Hardware {
  cpus?: number;
  memoryGb?: number; // GB as the guides count them
  diskGb?: number;
}

/** Where a secret is read at run time; exactly one key is present. */
export type SecretRef = { env: string; file?: undefined } | { file: string; env?: undefined };

export interface PbxHost {
  hostname: string;
  privateIp: string;
  publicIp?: string;
  hardware?: Hardware;
  recordingsPath?: string;
  instanceId?: string;
}

export interface PbxNode {
  hostname: string;
  privateIp: string;
  publicIp?: string;
  instanceId?: string;
  hardware?: Hardware;
}

export interface Server {
  role: ServerRole;
  name: string;
  hostname?: string; // defaults to name
  privateIp: string;
  publicIp?: string;
  instanceId?: string;
  hardware?: Hardware;
  maxCallSessions?: number; // media only
  recording?: boolean; // media only
  maxRooms?: number; // meeting only
  maxParticipants?: number; // meeting only
  chatFilesPath?: string; // im only
  tokenRef?: SecretRef; // im only
}

/** An accepted warning (docs/spec-format.md, Waivers): checked and applied in 3-check/waivers.ts. */
export interface Waiver {
  code: string; // a diagnostic code; only waivable warnings may be named
  path?: string; // a YAML path such as servers[2].publicIp: that place and everything below it
  reason: string;
  approvedBy: string;
  expires: string; // YYYY-MM-DD, the last day the waiver applies
}

export interface Spec {
  apiVersion: 'pbxplan/v1';
  kind: 'Cluster';
  metadata: { name: string; description?: string };
  platform: Platform;
  os: 'ubuntu-24.04';
  sshUser?: string;
  release: {
    pbxImage: string;
    clickhouseImage?: string;
    postgresImage?: string;
    sbcImage?: string;
    registry?: { server: string; username: string; passwordRef: SecretRef };
    registryMirror?: string;
    /** The control-script revision the preflight checks paths.scripts against (default: the known v22.x@51586c7). */
    scripts?: { revision: string; sha256: Record<string, string> };
  };
  paths?: { data?: string; scripts?: string; haGuide?: string };
  pbx: {
    mode: 'single' | 'ha';
    host?: PbxHost;
    nodes?: PbxNode[];
    virtualIp?: string;
    publicIp?: string;
    dataDisk?: { device: string; sizeGb: number };
    hardware?: Hardware;
  };
  servers?: Server[];
  firewall?: { trustedSources?: 'hosts' | 'subnet'; subnet?: string };
  whitelist?: { expires: string }; // YYYY-MM-DD
  capacity?: { users?: number; onlineUsers?: number; concurrentCalls?: number };
  portal?: {
    servers?: { role: PortalRole; name: string }[];
    whitelist?: { ip: string; expires: string }[];
  };
  aws?: {
    region: string;
    subnetCidr: string;
    securityGroupId: string;
    eipAllocationId: string;
    ebsVolumeId: string;
    sshKeyFile: string;
  };
  waivers?: Waiver[];
  /** Roles or host names a change may not recreate or remove without --allow-destroy (pbxplan diff). */
  protect?: string[];
}
