// Phase 3: Spec → diagnostics. Each invariant is a small rule in invariants/; this file only
// lists them. Rules run in every case so that one run reports every problem.
import type { CheckContext, Rule } from './context.js';
import { uniqueAddresses, uniqueHostnames } from './invariants/identity.js';
import { firewallSubnetCovers } from './invariants/firewall-subnet.js';
import { imChatPath } from './invariants/im-chat-path.js';
import { releaseVersions } from './invariants/release.js';
import { singletonRoles, uniqueServerNames } from './invariants/server-names.js';
import { supportedTopology } from './invariants/topology.js';
import { whitelistExpiry } from './invariants/whitelist.js';

export const RULES: readonly Rule[] = [
  uniqueHostnames,
  uniqueAddresses,
  uniqueServerNames,
  singletonRoles,
  imChatPath,
  releaseVersions,
  firewallSubnetCovers,
  whitelistExpiry,
  supportedTopology,
];

export function check(ctx: CheckContext): void {
  for (const rule of RULES) rule(ctx);
}
