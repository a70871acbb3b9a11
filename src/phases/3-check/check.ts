// Phase 3: Spec → diagnostics. Each invariant is a small rule in invariants/; this file only
// lists them. Rules run in every case so that one run reports every problem.
// docs/invariants.md maps each invariant of the domain reference (C1–C35) to its codes.
import type { CheckContext, Rule } from './context.js';
import { addressClasses } from './invariants/addresses.js';
import { awsElasticIps, awsInstanceIds, awsSubnet } from './invariants/aws.js';
import { mediaCapacity, onlineUsers } from './invariants/capacity.js';
import { firewallSubnetCovers, firewallSubnetWidth, subnetHostBits } from './invariants/firewall-subnet.js';
import { haDataDisk, haNodeCount, haSshUser, haVirtualIpNetwork } from './invariants/ha.js';
import { uniqueAddresses, uniqueHostnames } from './invariants/identity.js';
import { imChatPath } from './invariants/im-chat-path.js';
import { serverNamesInPortal } from './invariants/portal-names.js';
import { protectNames } from './invariants/protect.js';
import { internetFacingServers } from './invariants/public-ip.js';
import { imageTags, releaseVersions, sbcRelease } from './invariants/release.js';
import { secretRefsNotSystem } from './invariants/secret-refs.js';
import { noSecretValues } from './invariants/secrets.js';
import { singletonRoles, uniqueServerNames } from './invariants/server-names.js';
import { ivrServiceType } from './invariants/service-type.js';
import { dataflowMemoryPerCpu, hardwareFloors, mediaSessions } from './invariants/sizing.js';
import { portalWhitelist, whitelistExpiry } from './invariants/whitelist.js';

export const RULES: readonly Rule[] = [
  // identity: one role per host [C1–C3, C9, C12]
  uniqueHostnames,
  uniqueAddresses,
  uniqueServerNames,
  singletonRoles,
  serverNamesInPortal,
  ivrServiceType,
  // network [C7, C8, C19, C21, C22, C24]
  addressClasses,
  internetFacingServers,
  firewallSubnetCovers,
  firewallSubnetWidth,
  subnetHostBits,
  awsSubnet,
  awsElasticIps,
  awsInstanceIds,
  // HA [C4, C6, C17, C19, C35]
  haNodeCount,
  haSshUser,
  haDataDisk,
  haVirtualIpNetwork,
  // paths, release, secrets [C11, C15]
  imChatPath,
  releaseVersions,
  imageTags,
  sbcRelease,
  noSecretValues,
  secretRefsNotSystem,
  // whitelist [C23]
  whitelistExpiry,
  portalWhitelist,
  // sizing and capacity [C12, C16, C27]
  hardwareFloors,
  dataflowMemoryPerCpu,
  mediaSessions,
  mediaCapacity,
  onlineUsers,
  // protect: (pbxplan diff)
  protectNames,
];

export function check(ctx: CheckContext): void {
  for (const rule of RULES) rule(ctx);
}
