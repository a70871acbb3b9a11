// The PortSIP knowledge-base pages a plan step follows. The code names them by the short keys of
// the project's domain notes (§0 there); what reaches a user (plan.json's steps[].source, the
// `# step_N` headers, the runbook) names the page itself, since users don't have those notes.

/** Page title as the knowledge base shows it, and its path in the knowledge base. */
export interface GuidePage {
  title: string;
  path: string;
}

const KB = 'portsip-communications-solution';
const ADMIN = `${KB}/portsip-pbx-administration-guide`;
const V22 = `${ADMIN}/1-installation-of-the-portsip-pbx/installation-of-portsip-pbx-v22.3`;
const HA_ONPREM = `${KB}/high-availability-v22.x/high-availability-and-scalability-on-premise`;
const HA_AWS = `${KB}/high-availability-v22.x/high-availability-and-scalability-on-aws`;

export const GUIDE_PAGES = {
  'PBX-INST': { title: 'Install PortSIP PBX', path: `${ADMIN}/installation-of-portsip-pbx-v22.3-beta-version/install-portsip-pbx.md` },
  'IM-INST': { title: 'Install IM Service', path: `${V22}/install-im-service.md` },
  'DF-INST': { title: 'Install Data Flow Service', path: `${V22}/install-data-flow-service.md` },
  'UPG-22': { title: 'Upgrade to the latest version within v22.x on Linux', path: `${V22}/upgrade-to-the-latest-version-within-v22.x-on-linux.md` },
  'SBC-INST': { title: 'Installation PortSIP SBC v11.x', path: `${ADMIN}/9-configuring-portsip-sbc/installation-portsip-sbc-v11.x.md` },
  'BR-PBX': { title: 'Backup and Restore PortSIP PBX', path: `${ADMIN}/backup-and-restore/backup-and-restore-portsip-pbx.md` },
  'CL-PREP': { title: 'Preparing Cluster Servers', path: `${KB}/pbx-cluster-v22/preparing-cluster-servers.md` },
  'CL-CFG': { title: 'Configuring Cluster Servers', path: `${KB}/pbx-cluster-v22/configuring-cluster-servers.md` },
  'CL-MGMT': { title: 'Managing Cluster', path: `${KB}/pbx-cluster-v22/managing-cluster.md` },
  'OP-INST': { title: 'High Availability Installations on Ubuntu', path: `${HA_ONPREM}/high-availability-installations-on-ubuntu.md` },
  'OP-SCALE': { title: 'Scaling Servers On-Premise for High Availability', path: `${HA_ONPREM}/scaling-servers-on-premise-for-high-availability.md` },
  'OP-IM': { title: 'Scaling IM Server On-Premise for High Availability', path: `${HA_ONPREM}/scaling-im-server-on-premise-for-high-availability.md` },
  'OP-DF': { title: 'Scaling Data Flow Server On-Premise for High Availability', path: `${HA_ONPREM}/scaling-data-flow-server-on-premise-for-high-availability.md` },
  'OP-SBC': { title: 'Scaling SBC On-Premise for High Availability', path: `${HA_ONPREM}/scaling-sbc-on-premise-for-high-availability.md` },
  'OP-UPG': { title: 'Upgrading High Availability Installation (on premise)', path: `${HA_ONPREM}/upgrading-high-availability-installation.md` },
  'AWS-INST': { title: 'High Availability Installations on AWS', path: `${HA_AWS}/high-availability-installations-on-aws.md` },
  'AWS-SCALE': { title: 'Scaling Servers on AWS for HA', path: `${HA_AWS}/scaling-servers-on-aws-for-ha.md` },
  'AWS-IM': { title: 'Scaling IM Server on AWS for High Availability', path: `${HA_AWS}/scaling-im-server-on-aws-for-high-availability.md` },
  'AWS-DF': { title: 'Scaling Data Flow Server on AWS for High Availability', path: `${HA_AWS}/scaling-data-flow-server-on-aws-for-high-availability.md` },
  'AWS-SBC': { title: 'Scaling SBC on AWS for High Availability', path: `${HA_AWS}/scaling-sbc-on-aws-for-high-availability.md` },
  'AWS-UPG': { title: 'Upgrading High Availability Installation (AWS)', path: `${HA_AWS}/upgrading-high-availability-installation.md` },
} as const satisfies Record<string, GuidePage>;

export type GuideKey = keyof typeof GUIDE_PAGES;

/** A step's source for users: the guide pages by title, then what the step takes from them.
 * guide(['CL-CFG'], 'restart order') → 'PortSIP guide "Configuring Cluster Servers": restart order'. */
export function guide(keys: GuideKey | GuideKey[], note?: string): string {
  // Every server's steps cite the same few pages: each wording is made once.
  const key = `${Array.isArray(keys) ? keys.join(' ') : keys}\n${note ?? ''}`;
  let text = cited.get(key);
  if (text === undefined) cited.set(key, (text = guideText(keys, note)));
  return text;
}

/** guide()'s wordings so far, by pages and note (a few dozen: the steps' sources are constants). */
const cited = new Map<string, string>();

function guideText(keys: GuideKey | GuideKey[], note?: string): string {
  const titles = (Array.isArray(keys) ? keys : [keys]).map((k) => `"${GUIDE_PAGES[k].title}"`);
  const pages = titles.length === 1 ? `PortSIP guide ${titles[0]}` : `PortSIP guides ${titles.slice(0, -1).join(', ')} and ${titles[titles.length - 1]}`;
  return note ? `${pages}: ${note}` : pages;
}

/** A step whose fact comes from the v22.x control scripts themselves, not a guide page
 * (the domain notes' Appendix B: what the scripts do that the guides don't say). */
export function fromScripts(note: string): string {
  return `PortSIP v22.x control scripts: ${note}`;
}
