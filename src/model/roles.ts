// Facts per role from shared/domain/portsip-v22.md §2 (container names, vendor service
// types, portal pages). The compiler owns these names (spec-format.md "Names that the compiler owns").
import type { PortalRole, ServerRole } from './spec.js';

export interface ClusterRoleFacts {
  serviceType: string; // -s value; ivr is vr-server-only, never ivr-server-only [C10, E3]
  container: string; // created by the vendor run (domain §7)
  menu: string; // portal page where the server is added (W8/W9)
  label: string;
}

export const CLUSTER_ROLES: Record<PortalRole, ClusterRoleFacts> = {
  media: { serviceType: 'media-server-only', container: 'portsip.mediaserver', menu: 'Servers > Media Servers', label: 'media' },
  queue: { serviceType: 'queue-server-only', container: 'portsip.callqueue', menu: 'Servers > Queue Servers', label: 'queue' },
  meeting: { serviceType: 'meeting-server-only', container: 'portsip.conference', menu: 'Servers > Meeting Servers', label: 'meeting' },
  ivr: { serviceType: 'vr-server-only', container: 'portsip.virtualreceptionist', menu: 'Servers > IVR Servers', label: 'IVR' },
};

export const PORTAL_ROLES: readonly PortalRole[] = ['media', 'queue', 'meeting', 'ivr'];

/** Deployment order of extended roles (CL-CFG, OP-SCALE, §6 E46: scaling servers → IM → DF → SBC). */
export const ROLE_ORDER: readonly ServerRole[] = ['media', 'queue', 'meeting', 'ivr', 'im', 'dataflow', 'sbc'];

export function isPortalRole(r: string): r is PortalRole {
  return (PORTAL_ROLES as readonly string[]).includes(r);
}

export const CONTAINERS = {
  pbx: 'portsip.callmanager',
  im: 'portsip.instantmessage',
  dataflow: 'portsip.dataflow',
  sbc: 'portsip.sbc',
} as const;

export const VENDOR_SCRIPTS = {
  docker: 'install_docker.sh',
  pbx: 'pbx_ctl.sh',
  cluster: 'cluster_ctl.sh',
  im: 'im_ctl.sh',
  dataflow: 'dataflow_ctl.sh',
  sbc: 'sbc_ctl.sh',
} as const;

export const DEFAULT_IMAGES = {
  clickhouse: 'portsip/clickhouse:25.8', // dataflow_ctl.sh default (§2.5)
  sbc: 'portsip/sbc:11', // SBC-INST
} as const;
