// Per role, what a change bundle needs beyond the install (domain §2, §5.1, the v22 control
// scripts' `rm` subcommands): how the role is taken off its host, what --purge deletes, how long
// a recreate interrupts it. Facts only; planChange orders them.
import type { HostRole } from '../../../model/hosts.js';
import { CLUSTER_ROLES, CONTAINERS, VENDOR_SCRIPTS, isPortalRole } from '../../../model/roles.js';

export interface ChangeRoleFacts {
  label: string;
  script: string;
  container: string;
  /** The vendor's rm arguments (after the subcommand): `cluster_ctl.sh rm -s T`, the others none. */
  rmArgs: string[];
  /** Data directories the role writes, relative to paths.data: what --purge deletes. */
  data: string[];
  /** The vendor's directory of records and compose files, relative to paths.scripts ('' for the
   * SBC, whose record sits in paths.scripts itself). */
  vendorDir: string;
  /** What a recreate (rm + run) interrupts. */
  recreateDowntime: string;
  /** What retiring the role ends. */
  retireEffect: string;
}

export function changeRoleFacts(role: HostRole): ChangeRoleFacts {
  if (isPortalRole(role)) {
    const f = CLUSTER_ROLES[role];
    return {
      label: `${f.label} server`,
      script: VENDOR_SCRIPTS.cluster,
      container: f.container,
      rmArgs: ['-s', f.serviceType],
      data: [f.serviceType],
      vendorDir: f.serviceType,
      recreateDowntime: `this ${f.label} server is out of service from its rm until its new container runs (the pull included): a few minutes; the PBX keeps working with the other servers`,
      retireEffect: `the ${f.label} server stops for good; the PBX goes on with the other servers`,
    };
  }
  switch (role) {
    case 'pbx':
      return { label: 'PBX', script: VENDOR_SCRIPTS.pbx, container: CONTAINERS.pbx, rmArgs: [], data: ['pbx', 'postgresql'], vendorDir: 'pbx', recreateDowntime: 'the whole PBX is down from its rm until the new containers run (the pull included): minutes; every server that points at it is recreated afterwards', retireEffect: 'the PBX stops for good' };
    case 'im':
      return { label: 'IM server', script: VENDOR_SCRIPTS.im, container: CONTAINERS.im, rmArgs: [], data: ['im-data', 'im-postgresql'], vendorDir: 'im-server-only', recreateDowntime: 'chat is unavailable from the rm until the new containers run: a few minutes; calls are not affected', retireEffect: 'chat stops for good; calls are not affected' };
    case 'dataflow':
      return { label: 'Data Flow server', script: VENDOR_SCRIPTS.dataflow, container: CONTAINERS.dataflow, rmArgs: [], data: ['dataflow', 'clickhouse'], vendorDir: 'dataflow-server-only', recreateDowntime: 'analytics stop collecting from the rm until the new containers run: a few minutes; the data is kept', retireEffect: 'analytics, reports and wallboards stop; calls are not affected' };
    case 'sbc':
      return { label: 'SBC', script: VENDOR_SCRIPTS.sbc, container: CONTAINERS.sbc, rmArgs: [], data: ['sbc'], vendorDir: '', recreateDowntime: 'calls through this SBC drop from the rm until the new container runs: a few minutes', retireEffect: 'calls through this SBC stop for good' };
  }
}
