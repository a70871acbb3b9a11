// The one catalog of reason codes `pbxplan diff` gives for a change (and `pbxplan explain`
// explains), like src/diagnostics/codes.ts for diagnostics. Codes are stable once released: add
// new ones, never rename. Which action a reason implies follows the change rules of the domain
// notes (shared/domain/portsip-v22.md §5.1, §5.5; C29, C30) — cited here, never in user text.

/** The fixed vocabulary of actions, least disruptive first (the order --deny compares). */
export const ACTIONS = ['update', 'add', 'restart', 'upgrade', 'recreate', 'remove'] as const;
export type Action = (typeof ACTIONS)[number];

export const actionRank = (a: Action): number => ACTIONS.indexOf(a);

export interface ReasonEntry {
  /** What the change does to the host(s); 'error' for a change pbxplan refuses. */
  action: Action | 'error' | 'none';
  /** One line for the change list. */
  title: string;
  /** The paragraph `pbxplan explain CODE` prints. */
  doc: string;
}

function reason(action: ReasonEntry['action'], title: string, doc: string): ReasonEntry {
  return { action, title, doc };
}

export const REASONS = {
  // ---- hosts coming and going ------------------------------------------------------------
  host_added: reason(
    'add',
    'a new host',
    'The new spec has a host the old one has not. It is installed before anything points at it: its firewall trust on the main PBX, its whitelist entry and its portal entry come first, then its own install. A new media, queue, meeting or IVR server of a standalone cluster forces a restart of the resource load balancer and of every other media, queue, meeting and IVR server, in the documented order, off-peak (vendor guide "Configuring Cluster Servers" and "Managing Cluster"); the main PBX is not restarted.',
  ),
  host_removed: reason(
    'remove',
    'a host is retired',
    'The old spec has a host the new one has not. Its role is removed from the host (the vendor `rm`), which removes containers only: the data directories stay unless the change bundle is compiled with --purge. Its firewall trust on the main PBX, its whitelist entry and its portal entry are removed too, so nothing keeps trusting an address that may be reused. Removing a role has no documented effect on the other servers, so nothing else is restarted.',
  ),
  // ---- what is baked into a container: rm + run (data kept) ------------------------------
  pbx_address_changed: reason(
    'recreate',
    'the PBX address changed',
    'The main PBX address is written into the PBX containers and into the command of every cluster server, the IM server and the Data Flow server (their -x). The PBX is removed and run again with the new address (data survives `rm`), then every dependent is removed and run again pointing at it; on the IM host the old PBX address is taken out of the firewall trust the vendor script added. The wizard\'s network settings in the web portal must be updated by hand.',
  ),
  ha_virtual_ip_changed: reason(
    'recreate',
    'the HA virtual IP changed',
    'The virtual IP of an HA cluster is the PBX address every extended server points at. The vendor documents no procedure for changing it: the change bundle lists the manual work in the runbook and runs no command for it. Plan it with PortSIP support.',
  ),
  ha_node_changed: reason(
    'recreate',
    'an HA node changed',
    'An HA node\'s name or address is part of the HA package\'s vars.yml, /etc/hosts on every node and the Pacemaker configuration. The vendor documents no procedure for changing a node of a running HA cluster: the change bundle lists the manual work in the runbook and runs no command for it.',
  ),
  server_address_changed: reason(
    'recreate',
    "a server's own address changed",
    "A cluster server's address is baked into its container command (-a). The server is removed and run again with the new address; its portal entry, its firewall trust on the main PBX and its whitelist entry change with it (vendor guide \"Configuring Cluster Servers\").",
  ),
  server_name_changed: reason(
    'recreate',
    'a server was renamed',
    'The portal name of a media, queue, meeting or IVR server is baked into its container command (-n) and must equal the portal entry exactly. The server is removed and run again with the new name, and the portal entry is renamed.',
  ),
  im_token_ref_changed: reason(
    'recreate',
    'the IM token reference changed',
    "The IM server's token is given to its `run` only; `upgrade` keeps the old one. A new token reference means a regenerated token: the IM server is removed and run again with the token read from the new reference. pbxplan sees only the reference, never the token: a token changed behind the same reference is not a change it can see.",
  ),
  im_address_changed: reason(
    'recreate',
    "the IM server's address changed",
    "The IM server's private and public addresses are baked into its containers (-a, -A). It is removed and run again with the new addresses; its firewall trust on the main PBX and its whitelist entry change with it.",
  ),
  dataflow_address_changed: reason(
    'recreate',
    "the Data Flow server's address changed",
    "The Data Flow server's addresses are baked into its containers (-a, -A). It is deleted and created again (`rm` + `run`; analytics data is kept); its firewall trust on the main PBX and its whitelist entry change with it.",
  ),
  run_arguments_changed: reason(
    'recreate',
    'an install argument changed',
    'An argument of the vendor `run` other than the image changed (a data path, a storage directory, the chat files path). `run` is not idempotent, so the role is removed and run again with the new arguments. Data stays in the old directories: moving it is manual work the runbook lists.',
  ),
  // ---- images: upgrade bundles -----------------------------------------------------------
  pbx_image_changed: reason(
    'upgrade',
    'the PBX release changed',
    'The PBX image is shared by the PBX, every cluster server, the IM server and the Data Flow server, which must all run the main PBX\'s release. A new release is an upgrade in the vendor\'s order (back up, PBX, SBC, IM, Data Flow, cluster servers) and is carried out by an upgrade bundle, never mixed with other changes. The Data Flow instance is recreated after the PBX upgrade.',
  ),
  clickhouse_image_changed: reason(
    'upgrade',
    'the ClickHouse image changed',
    "The Data Flow server's ClickHouse image changed. The control script's `upgrade` ignores a new ClickHouse image, so the upgrade bundle runs Data Flow's `rm` and `run` again with it (analytics data is kept).",
  ),
  postgres_image_changed: reason(
    'upgrade',
    'the PostgreSQL image changed',
    'The PBX database image changed. It is an upgrade of the PBX, carried out by an upgrade bundle after a backup.',
  ),
  sbc_image_changed: reason(
    'upgrade',
    'the SBC release changed',
    'The SBC image changed. `sbc_ctl.sh upgrade` removes the container and the old image and runs the new one; an upgrade bundle carries it out. SBC 11.x belongs with PBX 22.x; crossing PBX 22.2 needs the SBC token pasted again.',
  ),
  // ---- in place: no interruption ---------------------------------------------------------
  trust_source_added: reason(
    'update',
    'a firewall trusted source is added',
    "An address or network is added to the main PBX's firewalld trusted zone (permanent, then a reload). Cluster traffic from that address is then trusted; nothing is interrupted.",
  ),
  trust_source_removed: reason(
    'update',
    'a firewall trusted source is removed',
    "An address or network the new spec no longer needs is removed from the main PBX's firewalld trusted zone, permanent and runtime. The vendor scripts only ever add trusted sources, so without this a retired address stays trusted.",
  ),
  whitelist_entry_added: reason(
    'update',
    'a whitelist entry is added (portal)',
    'The web portal\'s IP whitelist (IP Blacklist > Add) gets an entry for a new server address, with the spec\'s long expiry. Without it rate limiting breaks cluster traffic.',
  ),
  whitelist_entry_removed: reason(
    'update',
    'a whitelist entry is removed (portal)',
    "A retired address is deleted from the web portal's IP whitelist, so it is rate-limited again like any other address.",
  ),
  whitelist_expiry_changed: reason(
    'update',
    'the whitelist expiry changed (portal)',
    "The expiry of every whitelist entry changes: each entry is edited in the web portal. Nothing on a host changes.",
  ),
  whitelist_entry_renamed: reason(
    'update',
    'a whitelist entry names another host (portal)',
    "The address stays whitelisted, but the host it belongs to has a new name: the entry's description is edited in the web portal, so that the whitelist still says which server each address is. Nothing on a host changes.",
  ),
  portal_server_added: reason(
    'update',
    'a portal server entry is added (portal)',
    'A media, queue, meeting or IVR server gets its entry under Servers in the web portal, with the name its container is run with, before the server is installed.',
  ),
  portal_server_removed: reason(
    'update',
    'a portal server entry is deleted (portal)',
    'The entry of a retired media, queue, meeting or IVR server is deleted under Servers in the web portal, after the server is removed.',
  ),
  portal_server_renamed: reason(
    'update',
    'a portal server entry is renamed (portal)',
    'The server entry under Servers in the web portal takes the new name; the server itself is recreated with it (server_name_changed).',
  ),
  portal_server_changed: reason(
    'update',
    'a portal server entry changed (portal only)',
    "A setting that lives only in the web portal's server entry changed (Maximum Call Sessions, maximum rooms or participants, the entry's addresses). It is edited in the portal; the server keeps running.",
  ),
  registry_changed: reason(
    'update',
    'the registry or mirror changed',
    'Where images are pulled from changed (private registry, login or Docker Hub mirror). It matters at the next pull only: running containers are not touched.',
  ),
  host_renamed: reason(
    'update',
    "a host's name changed",
    "The host's name in the spec changed while its role and address stayed. It names the host's directory in the bundle; nothing on the host changes.",
  ),
  host_address_changed: reason(
    'update',
    "a host's address changed",
    "A host's address changed but nothing it runs has the address baked in (an SBC, for instance). The host must answer on the new address before the bundle runs; the firewall trust and whitelist changes are listed on their own.",
  ),
  host_requirements_changed: reason(
    'update',
    "a host's requirements changed",
    "The hardware or account the preflight checks changed. Nothing on the host is changed; the preflight checks the new figures.",
  ),
  // ---- waivers: not a host change --------------------------------------------------------
  waiver_added: reason('none', 'a waiver is added', 'The new spec accepts a warning the old one did not (waivers:). It is not a change to any host; it is shown so that a reviewer sees the accepted risk.'),
  waiver_removed: reason('none', 'a waiver is removed', 'The new spec no longer accepts a warning the old one accepted. It is not a change to any host.'),
  waiver_changed: reason('none', 'a waiver changed', 'A waiver for the same code and path has a new reason, approver or expiry. It is not a change to any host.'),
  // ---- refused -----------------------------------------------------------------------------
  release_downgrade: reason(
    'error',
    'the new release is older than the running one',
    'PortSIP documents no downgrade: the data of a newer release cannot be opened by an older one. The documented way back is to restore the backup taken before the upgrade (vendor guide "Backup and Restore PortSIP PBX") onto the old release.',
  ),
  release_major_jump: reason(
    'error',
    'the release jumps across major versions',
    'A change of major version (v16 to v22) is not an upgrade but a rebuild: new servers with the same hardware, addresses and host names, a fresh install of the new major, the old data copied in (vendor guide "Upgrade v16.x to the Latest v22.x"). Compile a fresh bundle for the new servers instead.',
  ),
  protected_host_destroyed: reason(
    'error',
    'a protected host would be recreated or removed',
    'The spec lists the host, or its role, under `protect:`. A change that recreates or removes it (an interruption, or data left behind) is refused unless --allow-destroy is given.',
  ),
} as const satisfies Record<string, ReasonEntry>;

export type Reason = keyof typeof REASONS;

export function isReason(s: string): s is Reason {
  return Object.prototype.hasOwnProperty.call(REASONS, s);
}
