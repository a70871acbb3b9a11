// The one catalog of diagnostic codes. Every message, hint and explanation lives here;
// phases name a code and pass arguments ({name} placeholders). Codes are stable once
// released: add new ones, never rename. The texts name the vendor's pages by their titles (a
// user has no copy of shared/domain/portsip-v22.md); the ids of those notes (C27, E43, page keys
// such as OP-SCALE) go in the comment beside each entry, and test/user-text.test.ts keeps them out
// of the texts.
import { safeText } from './safe-text.js';

export interface CodeEntry {
  severity: 'error' | 'warning';
  /** One line, what is wrong; {placeholders} are filled from the diagnostic's arguments. */
  message: string;
  /** One line, how to fix it. */
  hint: string;
  /** The paragraph `pbxplan explain CODE` prints. */
  doc: string;
  /**
   * A waiver in the spec (`waivers:`) may accept it. Only warnings that are a judgement call
   * are waivable; an error means a broken or unsafe install and is never waivable. The list is
   * documented in docs/spec-format.md (Waivers).
   */
  waivable: boolean;
}

/** Marks a warning a site may accept with a waiver (reason, approver, expiry). */
const WAIVABLE = true;

function entry(severity: 'error' | 'warning', message: string, hint: string, doc: string, waivable = false): CodeEntry {
  return { severity, message, hint, doc, waivable };
}

export const CODES = {
  // ---- 1-load: YAML text ------------------------------------------------------------
  yaml_syntax: entry(
    'error',
    'YAML syntax error: {detail}',
    'fix the YAML at this position; indentation and quotes are the usual causes',
    'The spec is not well-formed YAML, so nothing else can be checked. The position points at the first character the YAML parser could not accept. Common causes: a tab used for indentation, an unclosed quote or bracket, or a key indented deeper than its siblings.',
  ),
  yaml_duplicate_key: entry(
    'error',
    'key "{key}" appears twice in the same mapping',
    'keep one "{key}" and delete the other; YAML would silently use only one of them',
    'A mapping lists the same key twice. Most YAML tools keep the last value without a word, which hides typos such as two `privateIp` lines on one server. pbxplan refuses the spec and points at the second occurrence; the first is listed as related.',
  ),
  yaml_multiple_documents: entry(
    'error',
    'the spec file holds more than one YAML document',
    'keep one cluster per file and remove the "---" separator',
    'A spec describes exactly one cluster. A `---` line starts a second YAML document, which pbxplan does not read. Split the clusters into separate files.',
  ),
  yaml_invalid_utf8: entry(
    'error',
    'the spec is not valid UTF-8: {detail}',
    'save the file as UTF-8 (every editor offers it); a single byte such as 0xE9 for "é" is Latin-1 or Windows-1252 text',
    'A spec is UTF-8 text. pbxplan reads the bytes with a strict decoder and points at the first byte that is not UTF-8, instead of silently replacing it with U+FFFD (which would then be copied into the runbook and the scripts). The usual cause is a file saved as Latin-1, Windows-1252 or UTF-16, or binary data pasted in. A UTF-8 byte-order mark at the start is accepted.',
  ),
  yaml_too_deep: entry(
    'error',
    'the spec nests lists and mappings deeper than {limit} levels',
    'a spec needs five levels at most; look for an unclosed "[" or "{", or for aliases that nest each other',
    'The spec format is shallow: servers, a server, its tokenRef. pbxplan refuses a document (or the expansion of its aliases) nested deeper than 64 levels before anything walks it, so that a hostile or broken file cannot exhaust the stack. It is almost always a run of unclosed brackets or generated input.',
  ),
  yaml_alias_limit: entry(
    'error',
    'alias "*{name}" expands the spec beyond {limit} values',
    'write the values out or use fewer aliases; aliases of aliases that multiply at every level are the "billion laughs" attack',
    'An alias (`*name`) repeats what its anchor (`&name`) marks. Aliases of aliases multiply: nine aliases of nine aliases of nine… make a few lines expand to billions of values and exhaust memory. pbxplan counts what every alias adds, in one pass over the text, and refuses the spec when aliases add more than 10,000 values in total. Sharing one block (a hardware block on every server) stays far below that.',
  ),
  yaml_alias_undefined: entry(
    'error',
    'alias "*{name}" has no anchor "&{name}" before it',
    'define the anchor (&{name}) on the value to repeat, before its first alias, or write the value out',
    'An alias (`*name`) repeats the value its anchor (`&name`) marks, and YAML resolves it to the nearest anchor of that name before it. An alias without one has no value; often the anchor is misspelt or comes later in the file.',
  ),
  yaml_alias_cycle: entry(
    'error',
    'alias "*{name}" lies inside the value its anchor marks, so it would repeat itself forever',
    'point the alias at a value that does not contain it, or write the value out',
    'An alias inside the collection its anchor marks (`a: &a [ *a ]`) makes a value that contains itself. Such a value has no end when it is written out or walked, so pbxplan refuses it.',
  ),
  yaml_tag_unsupported: entry(
    'error',
    'tag {tag} is not one pbxplan reads',
    'remove the tag: a spec holds plain strings, numbers, true/false, lists and mappings (only the standard tags such as !!str are accepted)',
    'A YAML tag (`!name` or `!!name`) asks the reader to build a special kind of value; `!!python/object` asks for an object of a program. pbxplan reads the standard tags of YAML 1.2 only (`!!str`, `!!int`, `!!float`, `!!bool`, `!!null`, `!!seq`, `!!map`) and refuses every other tag instead of silently ignoring it, and a standard tag on the wrong kind of value (`!!map` on a list).',
  ),
  yaml_key_not_scalar: entry(
    'error',
    'a mapping key must be a plain name, but this key is {kind}',
    'write the key as a name (servers, privateIp, …); lists, mappings and aliases as keys ("? [a, b]") are not part of a spec',
    'YAML allows any value as a mapping key, written after `? ` or as a flow collection (`[a, b]: x`). Every key of a spec is a plain name, and a complex key could only be turned into text by guessing, so pbxplan refuses it at the key.',
  ),
  yaml_document_empty: entry(
    'error',
    'the spec file {what}: there is no cluster to read',
    'start from the commented starter spec: pbxplan init -o cluster.yaml',
    'The file holds no YAML value: it is empty, or has only comments. `pbxplan init -o cluster.yaml` writes a commented starter spec that compiles as it is; fill in your hosts from there.',
  ),
  // ---- 2-validate: schema -------------------------------------------------------------
  schema_additional_property: entry(
    'error',
    'unknown key "{key}" in {parent}',
    '{suggestion}',
    'The key is not part of the spec format (pbxplan/v1). Unknown keys are errors rather than being ignored, because a misspelt key (`privateIP` for `privateIp`) would otherwise silently drop a value. The hint names the closest known key when there is one, or lists the keys allowed at this place.',
  ),
  schema_required: entry(
    'error',
    'missing required key "{key}" in {parent}',
    'add {key}: {example} to {parent}{extra}',
    'A key that this part of the spec needs is absent; the hint shows it with an example value (from the `examples` of the schema). Some keys are required only in one shape: `pbx.host` with `mode: single`, `pbx.nodes` and `pbx.virtualIp` with `mode: ha`, `tokenRef` on an IM server, `firewall.subnet` when `trustedSources: subnet`, and `aws` with `platform: aws`.',
  ),
  schema_property_not_allowed: entry(
    'error',
    '"{key}" is not allowed here: {reason}',
    'remove "{key}" or change the setting it depends on',
    'The key exists in the spec format but does not belong in this shape of cluster or on this role, for example `nodes` with `pbx.mode: single`, `maxCallSessions` on a queue server, or a `tokenRef` on anything but an IM server.',
  ),
  schema_type: entry(
    'error',
    'expected {expected}, found {actual}',
    'write {expected} here',
    'The value has the wrong type: a list where a mapping belongs, a string where a number belongs, and so on. Quote nothing that should be a number, and quote values YAML would otherwise read as numbers or booleans.',
  ),
  schema_enum: entry( // C5
    'error',
    '"{value}" is not one of {allowed}',
    '{suggestion}',
    'The value must be one of a fixed set. Roles are media, queue, meeting, ivr, im, dataflow and sbc; `pbx.mode` is single or ha; `platform` is onprem or aws; `os` is ubuntu-24.04, the only OS the PortSIP HA guides accept.',
  ),
  schema_format: entry(
    'error',
    '"{value}" is not a valid {format}',
    '{fix}',
    'The value must have a specific format: a dotted IPv4 address, an IPv4 network in address/prefix form, or a calendar date written YYYY-MM-DD.',
  ),
  schema_pattern: entry(
    'error',
    '"{value}" is not a valid {what}',
    '{fix}',
    'The value does not have the shape this key needs: names, host names, paths, account names and image references each have a pattern. The patterns are strict on purpose: every value ends up on a shell command line on a production host.',
  ),
  value_unsafe: entry(
    'error',
    '{what} contains {char}, which can never be valid here',
    '{fix}',
    'The value contains a character that no valid value of this key has and that a shell would interpret: a quote, `$`, a backtick, `;`, `|`, `&`, a newline or other control character, glob characters, or a leading `-` that a command would read as an option. pbxplan quotes every value it writes into a script, but refuses such values outright so that a typo or a pasted command never reaches a host.',
  ),
  schema_range: entry(
    'error',
    '{what} must be {bound}',
    'use a value that is {bound}',
    'A number or length is outside the range the spec accepts.',
  ),
  // ---- 3-check: invariants ----------------------------------------------------------------
  host_hostname_duplicate: entry( // C1
    'error',
    'host name "{hostname}" is used by more than one host',
    'give every host its own host name; an extended server without `hostname` uses its `name`',
    'Every host in the cluster needs its own host name: bundle folders, `/etc/hosts` lines and the runbook are keyed by it, and PortSIP puts exactly one role on a host.',
  ),
  host_ip_duplicate: entry( // C1, C9, C34
    'error',
    'address {ip} is used twice ({first} and {second})',
    'give each host its own static address; one host carries exactly one PortSIP role',
    'Every address in the spec (private, public and virtual) must belong to exactly one host. Two servers on one address would mean two roles on one host, which PortSIP does not support, and would make firewall and whitelist entries ambiguous.',
  ),
  server_on_pbx_host: entry( // C2, C3, DF-INST
    'error',
    'the {role} server "{name}" is placed on the PBX host ({ip})',
    'give the {role} server its own host; {why}',
    'Data Flow never shares the PBX host (PortSIP guide "Install Data Flow Service"); in HA the PBX nodes carry only the PBX. pbxplan also deploys IM and SBC on their own hosts: the co-located variants (internal IM, SBC beside a single PBX) are not generated yet.',
  ),
  server_name_duplicate: entry( // C9
    'error',
    'two {role} servers are both named "{name}"',
    'server names must be unique per role: the web portal and the `-n` flag identify a server by name',
    'The web portal identifies a media, queue, meeting or IVR server by name, and the vendor script registers the server under the name given with `-n`; two servers of one type with the same name collide.',
  ),
  role_singleton: entry( // C12, CL-CFG, CL-MGMT
    'error',
    'only one {role} server is supported, found {count}',
    'keep one {role} server; PortSIP cannot cluster it',
    'IM and Data Flow are not clusterable: a deployment has at most one IM server and at most one Data Flow server (PortSIP cluster guide, pages "Configuring Cluster Servers" and "Managing Cluster").',
  ),
  im_chat_path_conflict: entry( // C11
    'error',
    'chatFilesPath {chat} is the data path {data}',
    'choose a chat-file directory outside {data}, e.g. /chat/files',
    'The IM script refuses a chat-file directory (`-f`) equal to its data path (`-p`). Pick a separate directory; pbxplan creates it before the IM install because the script requires it to exist.',
  ),
  im_chat_path_nested: entry( // C11
    'warning',
    'chatFilesPath {chat} lies inside the data path {data}',
    'prefer a directory outside {data}, so chat files and IM data can be sized and backed up apart',
    'The IM script only requires the chat-file directory to differ from the data path, but nesting one in the other mixes chat files with database files under one tree; keeping them apart is pbxplan\'s advice, not a rule of the script.',
    WAIVABLE,
  ),
  release_tag_not_version: entry( // C15
    'error',
    'image tag "{tag}" of {image} cannot be read as a version',
    'pin a numeric release tag such as 22 or 22.3 so the version checks can run',
    'pbxplan reads the tag of each image as a version (22 → 22.0.0, 22.3 → 22.3.0) to check the release rules. Tags like `latest` make the bundle depend on the day it is installed, so they are refused.',
  ),
  release_version_unsupported: entry( // C15
    'error',
    '{image} is release {version}; pbxplan targets PortSIP PBX {range}',
    'use a PortSIP PBX v22 image, e.g. portsip/pbx:22.3',
    'The vendor scripts refuse an image whose version label is below 22.0, and this compiler knows the v22 procedures only.',
  ),
  dataflow_version_too_old: entry( // C15, DF-INST
    'error',
    'a Data Flow server needs PBX release 22.3 or later; {image} is {version}',
    'raise release.pbxImage to 22.3 or later, or remove the Data Flow server',
    'Data Flow was introduced in v22.3; `dataflow_ctl.sh` aborts when the PBX image label is older (PortSIP guide "Install Data Flow Service").',
  ),
  dataflow_version_unpinned: entry( // C15, DF-INST
    'warning',
    '{image} is a floating major tag; Data Flow needs release 22.3 or later',
    'pin the PBX image to 22.3 or later (e.g. portsip/pbx:22.3) so the bundle cannot pick up an older 22.x',
    'The guides install with `portsip/pbx:22`, a tag that follows the newest 22.x release. pbxplan reads it as 22.0.0 but cannot know which 22.x the registry (or the image tarball) holds, so it warns instead of refusing. `dataflow_ctl.sh` checks the image label on the host and aborts below 22.3 (PortSIP guide "Install Data Flow Service").',
    WAIVABLE,
  ),
  firewall_subnet_not_covering: entry( // C24
    'error',
    'firewall.subnet {subnet} does not cover {ip} ({host})',
    'widen the subnet or use trustedSources: hosts; every cluster IP must be a trusted source on the PBX',
    'With `trustedSources: subnet` the main PBX trusts one network instead of each host. Every cluster server address must lie inside it, or that server cannot reach the PBX.',
  ),
  whitelist_expiry_missing: entry( // C23, CL-CFG
    'error',
    'the spec has cluster servers but no whitelist.expires',
    'add `whitelist: { expires: 2036-12-31 }`, a date (YYYY-MM-DD) years ahead',
    'Every cluster server address must be whitelisted in the PBX web portal with a long expiry, or rate limiting breaks cluster traffic (PortSIP guide "Configuring Cluster Servers"). The runbook lists each entry with this date.',
  ),
  whitelist_expiry_past: entry( // C23, CL-CFG
    'error',
    'whitelist expiry {expires} is not in the future (today is {today})',
    'choose a date years ahead, e.g. {suggest}',
    'A whitelist entry that has expired no longer protects cluster traffic from the PBX rate limiter (PortSIP guide "Configuring Cluster Servers"). "Today" is the date pbxplan was run with (`--today` fixes it for reproducible checks).',
  ),
  // ---- 3-check: identity and portal names [C1–C3, C9, C10] -----------------------------------
  ha_vip_host_address: entry( // C19, OP-ARCH, OP-INST
    'error',
    'the virtual IP {ip} is also the address of {host}',
    'choose a free address in the nodes\' network for pbx.virtualIp; no host may own it',
    'The virtual IP floats between the three PBX nodes: Pacemaker adds it to whichever node is active, on top of that node\'s own address (PortSIP guides "High Availability Installations on Ubuntu" and "PortSIP PBX High Availability Architecture"). It must be a free address of the nodes\' network, never the address of a node or of any other host; otherwise two machines answer on one address and a failover moves an address the cluster never owned.',
  ),
  server_name_not_in_portal: entry( // C9, E1, E4, CL-CFG, OP-SCALE
    'error',
    'server name "{name}" is not registered in the web portal under {menu}',
    '{suggestion}; `-n` must equal the portal name exactly',
    'portal.servers records the media, queue, meeting and IVR servers an existing site already has in the web portal. The vendor script starts a server with `-n NAME`, and the server comes online only when a portal entry of the same type has exactly that name, case and spelling included (PortSIP guides "Configuring Cluster Servers" and "Scaling Servers On-Premise for High Availability"). The cluster guide itself registers `vr-server-1` and then installs `-n ivr-server-1` on the same page ("Configuring Cluster Servers"), which leaves the IVR server offline, and the AWS page ("Scaling Servers on AWS for High Availability") names the IVR server `ivr-server-1` where the on-premises pages name it `vr-server-1`. Rename the server in the spec, or fix the portal entry and portal.servers. Without portal.servers there is nothing to compare: the runbook has the operator create each entry with the names of the spec.',
  ),
  portal_server_without_host: entry( // CL-TOPO
    'warning',
    'the portal lists {role} server "{name}", but no {role} server of the spec has that name',
    'remove it from portal.servers and disable it in the portal, or add the server to servers',
    'A portal entry without a matching server never comes online. The load balancer moves calls off a failed media server by itself, but an offline queue, meeting or IVR server has to be disabled by hand (PortSIP cluster guide, page "Topology"). Most often the entry is a near miss of a name in the spec (see server_name_not_in_portal) or a server that was removed.',
    WAIVABLE,
  ),
  service_type_ivr_server_only: entry( // C10, E3
    'error',
    '{what} contains "ivr-server-only", which is not a PortSIP service type',
    'did you mean "{fixed}"? The IVR service type is vr-server-only',
    'The vendor script knows the IVR service type only as `vr-server-only`: `run` and `upgrade` reject `ivr-server-only`, and the other subcommands look for a directory of that name and fail (`cluster_ctl.sh`). Several guide pages still write `ivr-server-only`: the lists of server types for managing and upgrading servers in "Scaling Servers on AWS for High Availability" and in older revisions of "Scaling Servers On-Premise for High Availability". pbxplan derives the service type from `role: ivr`; the wrong spelling anywhere in the spec (a name, a host name, a path, a description copied from a guide) is refused so that it cannot reach a command or a runbook step.',
  ),
  // ---- 3-check: addresses and networks [C7, C8, C19, C21, C22, C24] -----------------------------
  host_ip_unusable: entry( // C7, PBX-INST
    'error',
    '{field} {ip} is {kind}, which no host can use as its address',
    'write the static address the host has on its network interface',
    'Loopback (127/8), link-local (169.254/16, what a host gives itself when DHCP fails), multicast (224/4), the block 0.0.0.0/8, the reserved block 240/4 and the broadcast address are never the static address of a host, and the setup wizard refuses 127.0.0.1 (PortSIP guide "Install PortSIP PBX"). Every address in the spec must be one the host really carries.',
  ),
  host_public_ip_not_public: entry( // C8
    'error',
    '{field} {ip} is {kind}, not a public address',
    'write the static public IP that Internet clients reach, or leave {field} out when the host has none',
    'A public IP is entered in the setup wizard and passed to the vendor scripts (`-A`); media servers announce it to callers. A private, carrier-grade NAT or other non-routed address there breaks audio and clients on the Internet. The RFC 5737 documentation blocks (192.0.2/24, 198.51.100/24, 203.0.113/24) are accepted as public so that examples can use them.',
  ),
  host_private_ip_not_private: entry( // DF-INST
    'warning',
    '{field} {ip} is a public address',
    'check the address: hosts usually carry a private LAN address here and their public IP in publicIp; keep it if the host really has only a public address',
    'pbxplan uses `privateIp` (and the HA `virtualIp`) as the host\'s own LAN address: the `-a` flag, the trusted sources of the PBX firewall, the whitelist. Hosts usually sit on an RFC 1918 network and reach the Internet through a separate public IP, so a public address here often means privateIp and publicIp were swapped. Some sites give hosts public addresses directly (a Data Flow server may use a reachable public IP, says the PortSIP guide "Install Data Flow Service"), so this is a warning.',
    WAIVABLE,
  ),
  server_public_ip_missing: entry( // C8, CL-CFG, OP-IM, OP-SCALE
    'warning',
    'the {role} server "{name}" has no publicIp, but the PBX is reachable from the Internet ({pbxPublic})',
    'add the server\'s static public IP as publicIp (e.g. publicIp: 203.0.113.21); {why}',
    'A public IP on the PBX (pbx.host.publicIp, or pbx.publicIp in HA) means the site serves users on the Internet. Media servers then need a static public IP, or callers outside the LAN get no audio (PortSIP guides "Configuring Cluster Servers" and "Scaling Servers On-Premise for High Availability"); the IM server needs one for clients outside the LAN ("Configuring Cluster Servers" and "Scaling IM Server On-Premise for High Availability"). A site whose users are all on the LAN or a VPN can ignore this. On AWS every extended server needs its Elastic IP anyway (aws_server_public_ip_missing).',
    WAIVABLE,
  ),
  firewall_subnet_unsafe: entry( // C24, CL-CFG
    'error',
    'firewall.subnet {subnet} would trust {count} addresses, more than a /16',
    'narrow firewall.subnet to the cluster\'s network, {needed}, or use trustedSources: hosts; a trusted source reaches every port of the PBX',
    'Every address of a trusted source reaches every port of the main PBX, unfiltered, and the guide trusts the cluster hosts one by one or their /24 (PortSIP guide "Configuring Cluster Servers"). A network wider than /16 (65,536 addresses) cannot be a cluster\'s LAN; `0.0.0.0/0` would trust all of IPv4. pbxplan refuses it; a /16 or narrower that is much wider than the cluster is a warning (firewall_subnet_too_wide).',
  ),
  firewall_subnet_too_wide: entry( // C24, CL-CFG
    'warning',
    'firewall.subnet {subnet} trusts {count} addresses; the cluster servers fit in {needed}',
    'narrow firewall.subnet to {needed}, or use trustedSources: hosts; a trusted source reaches every port of the PBX',
    'Every address of a trusted source reaches every port of the main PBX, unfiltered. The guide trusts the cluster hosts one by one or their /24 (PortSIP guide "Configuring Cluster Servers"). pbxplan warns when the subnet holds more than 16 times the addresses of the smallest network that covers every cluster server (that network counted as at least a /24, which is always accepted); wider than /16 is an error (firewall_subnet_unsafe).',
    WAIVABLE,
  ),
  subnet_host_bits_set: entry(
    'warning',
    '{key} {cidr} has host bits set; as a network it is {network}',
    'write the network address, {network}',
    'A network in address/prefix form is written with its first address (`192.168.1.0/24`). `192.168.1.5/24` names the same network to pbxplan, but it is usually a host address pasted with a prefix by mistake, and tools differ in whether they accept it. pbxplan reads it as the network shown.',
  ),
  ha_vip_outside_subnet: entry( // C19, OP-INST
    'error',
    'the virtual IP {ip} lies outside {network}, the nodes\' network ({from})',
    'pick a free address inside {network} for pbx.virtualIp',
    'The active node brings the virtual IP up on its own network interface, so it must lie in the network the three nodes share (PortSIP guide "High Availability Installations on Ubuntu"). pbxplan takes that network from aws.subnetCidr on AWS, or from firewall.subnet when the subnet holds all three nodes; otherwise it takes the /24 the nodes share (ha_vip_outside_node_network, ha_vip_outside_node_24).',
  ),
  ha_vip_outside_node_network: entry( // C19, HAG, OP-INST
    'error',
    'the virtual IP {ip} lies outside {network}, the /24 of the three PBX nodes',
    'pick a free address of {network} for pbx.virtualIp; if the nodes\' LAN is wider than /24, state it as firewall.subnet (trustedSources: subnet)',
    'The active node brings the virtual IP up on its own network interface, and a failover moves it to another node (PortSIP guide "High Availability Installations on Ubuntu"): the VIP must be a free address of the network the three nodes share, or it cannot move between them. With no network in the spec, pbxplan takes the /24 the nodes share, the netmask the pre-v22 resource agent gave the VIP (`create_pacemaker_resources.sh` in PortSIP\'s older HA guide repository, portsip/portsip-pbx-ha-guide), and refuses a VIP outside it. A LAN wider than /24 is stated with firewall.subnet, which then replaces the assumption (ha_vip_outside_subnet).',
  ),
  ha_vip_outside_node_24: entry( // C19, OP-INST
    'warning',
    'the virtual IP {ip} and {node} ({nodeIp}) are not in one /24',
    'the three nodes span {network}: check their addresses (one may be a typo); if their LAN is that wide, state it as firewall.subnet (trustedSources: subnet) so that the VIP can be checked against it',
    'The virtual IP must be a free address of the nodes\' LAN (PortSIP guide "High Availability Installations on Ubuntu"). With no network in the spec, pbxplan assumes the /24 the nodes share (ha_vip_outside_node_network). When the nodes themselves are not in one /24, their network cannot be told from the spec: the hint names the smallest network that holds them, and a node outside the VIP\'s /24 is usually a typo in one of the addresses. A wider LAN is stated with firewall.subnet, which then replaces the assumption (ha_vip_outside_subnet).',
    WAIVABLE,
  ),
  aws_subnet_not_20: entry( // C21, AWS-INST
    'error',
    'aws.subnetCidr {subnet} is a /{prefix}; the PortSIP HA install on AWS needs a /20',
    'create the subnet with a /20 CIDR, e.g. {example}, and put every instance in it',
    'The AWS HA guide requires the VPC subnet of the cluster to be a /20 and says the installation fails with any other size (PortSIP guide "High Availability Installations on AWS"). The check applies to pbx.mode: ha on AWS.',
  ),
  aws_ip_outside_subnet: entry( // C21, C22, AWS-INST, AWS-SCALE
    'error',
    '{ip} ({host}) lies outside aws.subnetCidr {subnet}',
    'every node and extended server runs in the one subnet {subnet}: fix the address or the subnet',
    'On AWS the three PBX nodes and every extended server are instances of one subnet of one VPC, in one availability zone, behind one security group (PortSIP guides "High Availability Installations on AWS" and "Scaling Servers on AWS for High Availability"). A private IP outside aws.subnetCidr is a typo or an instance in the wrong subnet.',
  ),
  aws_server_public_ip_missing: entry( // C22, C23, AWS-DF, AWS-IM, AWS-SBC, AWS-SCALE
    'error',
    'the {role} server "{name}" has no publicIp; on AWS every extended server needs its Elastic IP',
    'allocate an Elastic IP, associate it with the instance and write it as publicIp',
    'On AWS each extended server (media, queue, meeting, IVR, IM, Data Flow, SBC) is an instance with auto-assign public IP disabled and an Elastic IP associated; the PBX security group admits the servers by their Elastic IPs, and IM and Data Flow are whitelisted by both addresses (PortSIP guides "Scaling Servers on AWS for High Availability", "Scaling IM Server on AWS for High Availability", "Scaling Data Flow Server on AWS for High Availability" and "Scaling SBC on AWS for High Availability"). The Elastic IP goes into publicIp.',
  ),
  aws_instance_id_missing: entry( // C21, AWS-INST
    'error',
    'the {what} {host} has no instanceId',
    'add the EC2 instance id of this host, e.g. instanceId: i-0123456789abcdef0 (the EC2 console lists it)',
    'On AWS the HA scripts address the PBX nodes by EC2 instance id (`pbx0N_instance_id` in vars.yml, PortSIP guide "High Availability Installations on AWS"). pbxplan asks for the instance id of every PBX node (and of a single PBX host on AWS), so that each maps to exactly one instance. Extended servers may name theirs too (optional: no vendor script takes it); each host\'s preflight then compares it with the id the instance metadata service reports.',
  ),
  // ---- 3-check: HA [C3, C4, C6, C17, C35] --------------------------------------------------------
  ha_node_count: entry( // C4, AWS-INST, OP-ARCH, OP-INST
    'error',
    'an HA cluster has exactly 3 PBX nodes, found {count}',
    'list three nodes under pbx.nodes; the first is the control node pbx01',
    'The PortSIP HA design is three nodes: Pacemaker keeps quorum among three, and the PBX data is replicated to the two standbys (PortSIP guides "High Availability Installations on Ubuntu", "PortSIP PBX High Availability Architecture" and "High Availability Installations on AWS"). The vars.yml of the HA scripts has exactly three node entries.',
  ),
  ha_ssh_user_missing: entry( // C6, C20, C35, E8, AWS-INST, OP-INST, OP-SCALE
    'error',
    'an HA cluster needs sshUser, the one account pbx01 uses on every host',
    'add `sshUser: {account}` (or the account you created): the same name, password and sudo on every node and server',
    'In HA every command after host preparation runs on pbx01, which reaches the other nodes and every extended server over password-less SSH with one account that has sudo (PortSIP guides "High Availability Installations on Ubuntu" and "Scaling Servers On-Premise for High Availability"). The guides use `pbx` on premises and `ubuntu` on AWS ("High Availability Installations on AWS"; the AWS pages for the IM server and the SBC disagree and ask for the PBX\'s account, `pbx`).',
  ),
  ha_data_disk_missing: entry( // C17, OP-INST
    'error',
    'an on-premises HA cluster needs pbx.dataDisk, the blank disk that holds the replicated PBX data',
    'add `dataDisk: { device: /dev/sdb, sizeGb: 500 }` under pbx: the same blank device, of the same size, on all three nodes',
    'On premises each HA node has a second, blank disk of the same size under the same device name; the HA scripts replicate the PBX data across them (PortSIP guide "High Availability Installations on Ubuntu"). pbxplan writes its device and the size to allocate, which must stay below the disk size (the guide allocates 36G of a 40 GB disk), into vars.yml, and the generated preflight checks that the disk is there, blank and large enough. The schema requires at least 10 GB. On AWS the data lives on the shared EBS volume aws.ebsVolumeId instead, and dataDisk is not needed.',
  ),
  // ---- 3-check: whitelist [C23] ------------------------------------------------------------------
  whitelist_expiry_soon: entry( // C23, CL-CFG
    'warning',
    'whitelist expiry {expires} is less than a year away (today is {today})',
    'choose a date years ahead, e.g. {suggest}',
    'The guides whitelist cluster servers with a long expiry (PortSIP guide "Configuring Cluster Servers"): when the entries lapse, the PBX rate limiter starts throttling cluster traffic. A date within a year invites an outage on a day nobody remembers.',
    WAIVABLE,
  ),
  portal_whitelist_expiry_short: entry( // C23, CL-CFG
    'warning',
    'the portal whitelist entry for {ip} expires {expires}, {why}',
    'extend the entry in the portal (IP Blacklist) to {extendTo} and update portal.whitelist',
    'portal.whitelist records the whitelist entries the web portal already holds. An entry that lapses lets the PBX rate limiter throttle that server again (PortSIP guide "Configuring Cluster Servers"). pbxplan warns when an entry has lapsed, expires before whitelist.expires (the date it uses for new entries), or expires within a year.',
    WAIVABLE,
  ),
  portal_whitelist_unknown_ip: entry( // C34
    'warning',
    'the portal whitelist holds {ip}, which is no address of this cluster',
    'if the host is gone, delete the entry in the portal and from portal.whitelist; otherwise add the host to the spec',
    'A whitelist entry exempts an address from the PBX\'s IP blocking and rate limiting. An entry for an address the spec does not know is usually a server that was removed or renumbered; left in place, it keeps that exemption for whoever holds the address next.',
    WAIVABLE,
  ),
  // ---- 3-check: sizing and capacity [C12, C16, C27] -------------------------------------------------
  hardware_below_minimum: entry( // C27, E37, E38, E43, AWS-INST, AWS-SCALE, DF-INST, HW, OP-IM, OP-INST, OP-SBC, OP-SCALE, PBX-INST
    'warning',
    '{host} has {have}, below the {need} that {source} gives for {purpose}',
    'raise hardware.{key} to at least {min}, or accept the risk on a lab system; the generated preflight holds the host to the numbers in the spec',
    'Sizing floors of the guides, checked only where the spec gives `hardware`: PBX HA node 4 CPUs and 4 GB (PortSIP guides "High Availability Installations on Ubuntu" and "High Availability Installations on AWS"); standalone PBX 2 CPUs, 4 GB, 50 GB ("Install PortSIP PBX"); media, queue, meeting and IVR servers 128 GB of disk and a media server with recording 256 GB ("Scaling Servers On-Premise for High Availability"), but queue, meeting and IVR servers on AWS 64 GB ("Scaling Servers on AWS for High Availability", which asks for less than the on-premises page); IM 128 GB of disk ("Scaling IM Server On-Premise for High Availability", whose disk section says 128 GB where its hardware list says 256 GB) and, when capacity.onlineUsers is given, the CPUs and memory of the hardware table (up to 5,000 users 10 CPUs and 8 GB, 20,000 16 and 10 GB, 50,000 20 and 16 GB; PortSIP FAQ "Hardware Specifications", which most pages agree with, while the cluster guide\'s "Managing Cluster" gives 16 CPUs for 50,000 users); Data Flow 4 CPUs, 8 GB, 128 GB ("Install Data Flow Service"); SBC 128 GB of disk ("Scaling SBC On-Premise for High Availability"). They are warnings: a lab may run smaller.',
    WAIVABLE,
  ),
  dataflow_memory_per_cpu_low: entry( // DF-INST, OP-DF, §2.5
    'warning',
    'the Data Flow server "{name}" has {memory} GB of memory for {cpus} CPUs; large deployments need 4 GB per CPU ({want} GB)',
    'raise hardware.memoryGb to {want} (CPUs × 4 GB)',
    'For large deployments, 8 vCPUs or more, the Data Flow guide sizes memory at 4 GB per vCPU (PortSIP guides "Install Data Flow Service" and "Scaling Data Flow Server On-Premise for High Availability"). Below that, pbxplan warns.',
    WAIVABLE,
  ),
  media_max_call_sessions_high: entry( // C16, CL-CFG, OP-SCALE
    'warning',
    'maxCallSessions {value} is above the {max} the guides advise per media server',
    'set maxCallSessions to at most {limit} and add media servers for more calls',
    'The guides advise against a Maximum Call Sessions above 5,000 per media server (PortSIP guides "Configuring Cluster Servers" and "Scaling Servers On-Premise for High Availability"); more calls are carried by more media servers. pbxplan enters the value in the portal step for the server.',
    WAIVABLE,
  ),
  capacity_calls_exceed_media: entry( // C16, API, HW
    'error',
    'capacity.concurrentCalls is {calls}, but the {count} media server(s) carry {total} call sessions',
    'add {missing} more media {servers} at {per} sessions each, or raise maxCallSessions (at most {per} each)',
    'The media servers carry the calls of the cluster: their maxCallSessions add up to its call capacity. A media server without maxCallSessions counts as 2,000, the value the portal gives a media server created without one (the default of `max_concurrency` in the PortSIP REST API). When capacity.concurrentCalls is higher than the sum, pbxplan says how many media servers at the advised maximum of 5,000 sessions cover the difference. The check runs only when the spec has media servers: without them the PBX\'s own media service carries the calls, and its host is sized by the hardware table (PortSIP FAQ "Hardware Specifications").',
  ),
  capacity_online_users_exceed_limit: entry( // C12, E40, CL-CFG, CL-MGMT, CL-README, CL-TOPO, OP-IM
    'error',
    'capacity.onlineUsers is {value}; one PortSIP deployment serves at most {max} online users',
    'plan at most {max} online users per deployment (one IM server) and split larger populations across deployments',
    'IM cannot be clustered: a deployment has one IM server, which serves up to 50,000 concurrent online users on well-sized hardware (PortSIP guides "Configuring Cluster Servers", "Managing Cluster" and "Scaling IM Server On-Premise for High Availability"); the cluster guides give the same ceiling (the overview of "PBX Cluster (v22.x)"). One page speaks of about 100,000 (the cluster guide\'s "Topology"); pbxplan follows the majority and the IM limit.',
  ),
  // ---- 3-check: release [C15]; secrets (secret_ref_literal comes from 2-validate) ----------------
  image_tag_not_version: entry( // C15
    'error',
    '{key} tag "{tag}" of {image} cannot be read as a version',
    'pin a version tag such as {example}',
    'pbxplan pins every image by a version tag, so that a bundle installs the same software on every host and on every day. The ClickHouse, PostgreSQL and SBC images need a numeric tag such as 25.8, 14.12 or 11; the PBX image has its own check (release_tag_not_version).',
  ),
  sbc_version_mismatch: entry( // C15, SBC-INST
    'error',
    '{image} is SBC release {version}; PortSIP PBX 22.x works with SBC 11.x only',
    'use an SBC 11 image, e.g. portsip/sbc:11',
    'PBX v22 requires SBC v11 (PortSIP guide "Installation PortSIP SBC v11.x"). release.sbcImage defaults to portsip/sbc:11 and is checked when the spec has SBC servers.',
  ),
  secret_ref_literal: entry(
    'error',
    '{key} holds the secret itself ({masked}, {length} characters) instead of naming where to read it',
    'write {key}: { env: NAME } (a variable set when the script runs) or {key}: { file: /path } (a root-only file on the host); treat the secret as leaked if the spec was shared',
    'Secrets (the IM token, the registry password) never go into the spec: specs are committed, reviewed and copied into bundles. A `tokenRef` or `passwordRef` names where the generated script reads the secret when it runs: `{ env: PBXPLAN_IM_TOKEN }` or `{ file: /root/im.token }`, and the preflight checks that it is readable. pbxplan shows only the first characters of what it found. If the spec has been shared, generate a new secret (for IM: Servers > IM Servers > Generate Token).',
  ),
  secret_ref_system: entry(
    'error',
    '{key} names {name}, {why}; it cannot hold the secret',
    'name a variable or file that holds this secret only, e.g. {example}; a token file is for root alone (chmod 600)',
    'A `tokenRef` or `passwordRef` names where the generated script reads the secret when it runs. A variable that the system, the shell, sudo, SSH or the script itself sets (PATH, HOME, USER, SHELL, PWD, LANG, LC_*, TERM, LD_*, SUDO_*, SSH_*, MODE, …) holds whatever the host happens to have, and a system file (/etc/shadow, /etc/passwd, /etc/sudoers, anything under /proc, /sys, /dev, /boot or /etc/ssh, an SSH, GnuPG, AWS or Docker credential folder) holds host data: either would be handed to the vendor script as the token and end up in its container arguments and logs. Name a variable or file that exists for this secret only. At run time the preflight also warns when a token file is readable by group or others.',
  ),
  secret_value_in_spec: entry(
    'error',
    '{what} holds what looks like a {shape} secret ({masked}, {length} characters)',
    'remove it from the spec and pass secrets by reference, e.g. tokenRef: { env: PBXPLAN_IM_TOKEN } or { file: /root/im.token }; treat it as leaked if the spec was shared',
    'pbxplan scans every string of the spec for a run that looks generated rather than written: 24 or more base32 characters, base64 characters mixed the way random text mixes them, 32 or more hexadecimal digits (unless written as a labelled digest such as `sha256:…` of the right length), or 32 or more capitals and digits with few vowels, the form of the token the PortSIP portal generates for IM. Such a run is almost always a token or password pasted into the wrong place, a description or the name of an environment variable. Secrets are passed by reference (`tokenRef`, `passwordRef`) and read on the host when the script runs. The check is a heuristic tuned to leave host names, paths, words and image references alone; only the first characters of the value are shown.',
  ),
  // ---- bundle: the artifacts directory of compile --artifacts (docs/airgap.md) ----------------------
  artifact_missing: entry(
    'error',
    '{what} {file} is missing from {dir} (used by {hosts})',
    '{fix}',
    'An air-gapped site must carry every file its hosts use: the PortSIP control scripts, the vendor HA package, one tarball per image and the Debian packages for Docker Engine, the Compose plugin and firewalld (`pbxplan artifacts SPEC` lists them, with the hosts that use each). `compile --artifacts DIR` copies them into the bundle; DIR has the layout of the bundle\'s `artifacts/` folder (`scripts/`, `ha/`, `images/`, `debs/`). Each file that is not there is reported once and nothing is written. With `--allow-missing` these are warnings instead: the bundle is written without them, its runbook lists them under "Still to obtain", and the hosts fall back to the vendor way for them (Internet or site registry). This code needs an artifacts directory, so it is covered by the CLI tests and the fixture airgap-incomplete rather than an error fixture.',
  ),
  artifact_script_revision: entry(
    'error',
    '{file} in {dir} is not revision {revision} of the control scripts (its sha256 is {found}, {revision} has {expected})',
    'put revision {revision}\'s {script} there, or name the revision you bundle in {fix}',
    'The hosts check every control script they run against the revision the spec pins (`release.scripts`; without it v22.x at commit 51586c7 of the GitHub repository portsip/portsip-pbx-sh, whose hashes pbxplan knows). A script the bundle carries is checked when the bundle is compiled, so that a bundle built with another revision is refused here rather than by every host\'s preflight at the site. Name the revision you carry, with the sha256 of each script (`sha256sum SCRIPT`), in `release.scripts`.',
  ),
  artifact_ambiguous: entry(
    'error',
    '{count} files in {dir} match the package {package}: {files}',
    'keep exactly one {package}_*.deb in {dir}; two versions of one package cannot be installed together',
    'Debian packages are matched by name: `debs/<package>_<version>_<arch>.deb`, the name `apt-get download` gives them. Each required package (docker-ce, docker-ce-cli, containerd.io, docker-compose-plugin, firewalld, python3-firewall) must match exactly one file; other .deb files in the directory are carried along as dependencies. Two versions of the same package would make the install fail on the host, so pbxplan refuses them here. This code needs an artifacts directory (CLI tests, fixture airgap-incomplete).',
  ),
  release_registry_missing: entry( // Appendix B.3
    'error',
    'the bundle carries image tarballs and the spec names no registry or registry mirror, but the artifacts directory lacks the registry image ({file}) for the bundle\'s own registry',
    'add it: on a machine with Docker, docker pull {image} && docker save {image} -o {file}; or set release.registry or release.registryMirror to a registry inside the site',
    'PortSIP\'s control scripts run `docker pull` for their image on every `run` and `upgrade`, with `set -e`, even when the image is already loaded (`pbx_ctl.sh`, `cluster_ctl.sh`, `im_ctl.sh`, `dataflow_ctl.sh` and `sbc_ctl.sh` of the v22.x scripts). On a host without Internet access that pull fails and the install stops, tarballs or not. Without a site registry (`release.registry`) or Docker Hub mirror (`release.registryMirror`), a bundle built with `--artifacts` brings its own: Docker\'s registry image, run on each host on 127.0.0.1 only, seeded with the images loaded from the bundle and set as that host\'s Docker Hub mirror, so the pulls are answered locally (docs/airgap.md). That registry image must be among the artifacts (`images/registry_2.tar`). Reported only with `--artifacts` (a warning with `--allow-missing`), where the site is air-gapped by assumption.',
  ),
  // ---- 3-check: waivers (spec `waivers:`, docs/spec-format.md) ------------------------------------
  waiver_expired: entry(
    'error',
    'the waiver for {code} expired on {expires} (today is {today})',
    'fix what it accepted and delete the waiver, or renew it: a new approval and an expiry on or before {latest}',
    'A waiver accepts a warning for a limited time, up to and including its `expires` day. After that day the risk is no longer accepted: the warning it covered is reported as a warning again, and the expired waiver itself is an error, so a stale acceptance cannot pass review unnoticed. Either fix the cause of the warning and delete the waiver, or have someone approve the risk again and write the new date (at most 180 days after today).',
  ),
  waiver_too_long: entry(
    'error',
    'the waiver for {code} expires {expires}, more than 180 days after today ({today})',
    'choose an expiry on or before {latest}, and renew the waiver when it comes due',
    'An accepted risk is reviewed at least every 180 days: a waiver\'s `expires` may lie at most 180 days after the day pbxplan runs (`--today`). A longer waiver is refused and does not apply, so the warning it names is reported as a warning. Renewing means a fresh approval and a new date.',
  ),
  waiver_expiring: entry(
    'warning',
    'the waiver for {code} expires {expires}: {left} (today is {today})',
    'renew it in time (a new approval and an expiry on or before {latest}) or fix what it accepts',
    'The waiver still applies, but its last day is at most 14 days away. Once it has passed, the warning it accepts comes back and the waiver becomes an error (waiver_expired). Plan the review now: renew the waiver with a fresh approval, or fix the cause of the warning and delete it.',
  ),
  protect_name_unknown: entry(
    'warning',
    'protect names "{name}", which is neither a role nor a host of this spec',
    '{suggestion}',
    'An entry of `protect:` names a role (pbx, media, queue, meeting, ivr, im, dataflow, sbc) or a host name of the spec. One that names neither protects nothing, so a typo would let `pbxplan diff` and `compile --from` recreate or remove the host it meant without a word. Correct the name, or delete the entry.',
  ),
  waiver_unused: entry(
    'warning',
    'the waiver for {what} matches no warning',
    '{suggestion}',
    'Like an `#[expect]` in Rust, a waiver must accept something: one that matches no warning is either left over from a problem that was fixed (delete it) or points at the wrong place, for example after servers were reordered and the index in its `path` moved. A waiver matches a warning of its `code` whose YAML path equals its `path` or lies below it (`servers[2]` matches `servers[2].publicIp`); without `path` it matches every warning of that code.',
  ),
  waiver_not_waivable: entry(
    'error',
    '{code} cannot be waived: {why}',
    '{fix}',
    'Only warnings that are a judgement call can be waived: pbxplan cannot know whether the site has a reason, so a person may accept the risk (lab hardware, users only on the LAN, a wider trusted network). An error means the bundle would install something broken or unsafe and can never be waived; fix the spec instead. A few warnings have a plain fix and nothing to accept (subnet_host_bits_set), or depend on the build\'s inputs rather than on the spec (release_registry_missing, reported only with --artifacts), and are not waivable either. docs/spec-format.md lists the waivable codes.',
  ),
  waiver_code_unknown: entry(
    'error',
    'the waiver names "{code}", which is no diagnostic code',
    '{suggestion}',
    'A waiver names the code of the warning it accepts, exactly as pbxplan prints it in brackets (`warning[hardware_below_minimum]`) and as `pbxplan explain --list` lists it. An unknown code would accept nothing, so it is an error; the hint names the closest known code when there is one.',
  ),
} as const satisfies Record<string, CodeEntry>;

export type Code = keyof typeof CODES;

export function isCode(s: string): s is Code {
  return Object.prototype.hasOwnProperty.call(CODES, s);
}

/**
 * Fills `{name}` placeholders; unknown placeholders stay visible so a test can catch them. This
 * is the one place values enter diagnostic text, so every value passes `safeText` here: secrets
 * masked, long values shortened, control and bidirectional characters escaped.
 */
export function fill(template: string, args: Record<string, string | number>): string {
  return template.replace(/\{([a-zA-Z]+)\}/g, (m, k: string) => (k in args ? safeText(String(args[k])) : m));
}
