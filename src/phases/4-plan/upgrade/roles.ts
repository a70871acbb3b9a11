// Per host role: what an upgrade runs (domain §5.2, the v22 control scripts' `upgrade` paths),
// what its health gate inspects and what its backup archives. Facts only; planUpgrade orders them.
import { CLUSTER_ROLES, CONTAINERS, VENDOR_SCRIPTS, isPortalRole } from '../../../model/roles.js';
import type { HostRole } from '../../../model/hosts.js';

export interface RoleFacts {
  label: string;
  script: string;
  /** The main container, whose image and version label the gate reads. */
  container: string;
  /** The vendor's record, relative to paths.scripts, and the key holding the image. */
  record: string;
  recordKey: string;
  /** `-s TYPE` for the cluster script, else none. */
  typeArgs: string[];
  /** Data worth keeping, relative to paths.data (only those that exist are archived). */
  data: string[];
  /** BR-PBX: the PBX is stopped while its data is copied (restore needs 888:888 ownership). */
  stopForBackup: boolean;
  /** Upgrade position in the vendor's order (UPG-22, CL-MGMT): PBX, SBC, IM, Data Flow, servers. */
  order: number;
  downtime: string;
}

export function roleFacts(role: HostRole): RoleFacts {
  if (isPortalRole(role)) {
    const f = CLUSTER_ROLES[role];
    return {
      label: `${f.label} server`,
      script: VENDOR_SCRIPTS.cluster,
      container: f.container,
      record: `${f.serviceType}/.configure_extend`,
      recordKey: 'PBX_IMG',
      typeArgs: ['-s', f.serviceType],
      data: [],
      stopForBackup: false,
      order: 5 + ['media', 'queue', 'meeting', 'ivr'].indexOf(role) / 10,
      downtime: `this ${f.label} server is out of service from the teardown until its new container runs (the pull included): a few minutes; the PBX keeps working with the other servers`,
    };
  }
  switch (role) {
    case 'pbx':
      return { label: 'PBX', script: VENDOR_SCRIPTS.pbx, container: CONTAINERS.pbx, record: 'pbx/.configure_pbx', recordKey: 'PBX_IMG', typeArgs: [], data: ['pbx', 'postgresql'], stopForBackup: true, order: 1, downtime: 'the whole PBX is down during the backup copy and again from the teardown until the new containers run (the pull included): minutes, more with a large data directory' };
    case 'sbc':
      return { label: 'SBC', script: VENDOR_SCRIPTS.sbc, container: CONTAINERS.sbc, record: '.configure_sbc', recordKey: 'SBC_IMG', typeArgs: [], data: ['sbc'], stopForBackup: false, order: 2, downtime: 'calls through this SBC drop from the teardown until the new container runs: a few minutes' };
    case 'im':
      return { label: 'IM server', script: VENDOR_SCRIPTS.im, container: CONTAINERS.im, record: 'im-server-only/.configure_im', recordKey: 'IM_IMG', typeArgs: [], data: ['im'], stopForBackup: false, order: 3, downtime: 'chat is unavailable from the teardown until the new containers run: a few minutes; calls are not affected' };
    case 'dataflow':
      return { label: 'Data Flow server', script: VENDOR_SCRIPTS.dataflow, container: CONTAINERS.dataflow, record: 'dataflow-server-only/.configure_dataflow', recordKey: 'DATAFLOW_IMG', typeArgs: [], data: ['dataflow'], stopForBackup: false, order: 4, downtime: 'analytics stop collecting from the teardown until the new containers run: a few minutes; the data is kept' };
    default:
      throw new Error(`no upgrade facts for role ${role}`);
  }
}
