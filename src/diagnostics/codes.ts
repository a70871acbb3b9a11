// The one catalog of diagnostic codes. Every message, hint and explanation lives here;
// phases name a code and pass arguments ({name} placeholders). Codes are stable once
// released: add new ones, never rename. IDs in brackets refer to shared/domain/portsip-v22.md.

export interface CodeEntry {
  severity: 'error' | 'warning';
  /** One line, what is wrong; {placeholders} are filled from the diagnostic's arguments. */
  message: string;
  /** One line, how to fix it. */
  hint: string;
  /** The paragraph `pbxplan explain CODE` prints. */
  doc: string;
}

function entry(severity: 'error' | 'warning', message: string, hint: string, doc: string): CodeEntry {
  return { severity, message, hint, doc };
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
    'add "{key}" to {parent}{extra}',
    'A key that this part of the spec needs is absent. Some keys are required only in one shape: `pbx.host` with `mode: single`, `pbx.nodes` and `pbx.virtualIp` with `mode: ha`, `tokenRef` on an IM server, `firewall.subnet` when `trustedSources: subnet`, and `aws` with `platform: aws`.',
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
  schema_enum: entry(
    'error',
    '"{value}" is not one of {allowed}',
    '{suggestion}',
    'The value must be one of a fixed set. Roles are media, queue, meeting, ivr, im, dataflow and sbc; `pbx.mode` is single or ha; `platform` is onprem or aws; `os` is ubuntu-24.04, the only OS the PortSIP HA guides accept [C5].',
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
  host_hostname_duplicate: entry(
    'error',
    'host name "{hostname}" is used by more than one host',
    'give every host its own host name; an extended server without `hostname` uses its `name`',
    'Every host in the cluster needs its own host name: bundle folders, `/etc/hosts` lines and the runbook are keyed by it, and PortSIP puts exactly one role on a host [C1].',
  ),
  host_ip_duplicate: entry(
    'error',
    'address {ip} is used twice ({first} and {second})',
    'give each host its own static address; one host carries exactly one PortSIP role [C1, C9]',
    'Every address in the spec (private, public and virtual) must belong to exactly one host. Two servers on one address would mean two roles on one host, which PortSIP does not support [C1], and would make firewall and whitelist entries ambiguous [C34].',
  ),
  server_on_pbx_host: entry(
    'error',
    'the {role} server "{name}" is placed on the PBX host ({ip})',
    'give the {role} server its own host; {why}',
    'Data Flow never shares the PBX host (DF-INST, [C2]); in HA the PBX nodes carry only the PBX [C3]. pbxplan also deploys IM and SBC on their own hosts: the co-located variants (internal IM, SBC beside a single PBX) are not generated yet.',
  ),
  server_name_duplicate: entry(
    'error',
    'two {role} servers are both named "{name}"',
    'server names must be unique per role: the web portal and the `-n` flag identify a server by name [C9]',
    'The web portal identifies a media, queue, meeting or IVR server by name, and the vendor script registers the server under the name given with `-n`; two servers of one type with the same name collide [C9].',
  ),
  role_singleton: entry(
    'error',
    'only one {role} server is supported, found {count}',
    'keep one {role} server; PortSIP cannot cluster it [C12]',
    'IM and Data Flow are not clusterable: a deployment has at most one IM server and at most one Data Flow server (CL-CFG, CL-MGMT) [C12].',
  ),
  im_chat_path_conflict: entry(
    'error',
    'chatFilesPath {chat} is the data path {data}',
    'choose a chat-file directory outside {data}, e.g. /chat/files [C11]',
    'The IM script refuses a chat-file directory (`-f`) equal to its data path (`-p`) [C11]. Pick a separate directory; pbxplan creates it before the IM install because the script requires it to exist.',
  ),
  im_chat_path_nested: entry(
    'warning',
    'chatFilesPath {chat} lies inside the data path {data}',
    'prefer a directory outside {data}, so chat files and IM data can be sized and backed up apart',
    'The IM script only requires the chat-file directory to differ from the data path, but nesting one in the other mixes chat files with database files under one tree [C11, compiler suggestion].',
  ),
  release_tag_not_version: entry(
    'error',
    'image tag "{tag}" of {image} cannot be read as a version',
    'pin a numeric release tag such as 22 or 22.3 so the version checks can run [C15]',
    'pbxplan reads the tag of each image as a version (22 → 22.0.0, 22.3 → 22.3.0) to check the release rules [C15]. Tags like `latest` make the bundle depend on the day it is installed, so they are refused.',
  ),
  release_version_unsupported: entry(
    'error',
    '{image} is release {version}; pbxplan targets PortSIP PBX {range}',
    'use a PortSIP PBX v22 image, e.g. portsip/pbx:22.3',
    'The vendor scripts refuse an image whose version label is below 22.0, and this compiler knows the v22 procedures only [C15].',
  ),
  dataflow_version_too_old: entry(
    'error',
    'a Data Flow server needs PBX release 22.3 or later; {image} is {version}',
    'raise release.pbxImage to 22.3 or later, or remove the Data Flow server',
    'Data Flow was introduced in v22.3; `dataflow_ctl.sh` aborts when the PBX image label is older (DF-INST) [C15].',
  ),
  dataflow_version_unpinned: entry(
    'warning',
    '{image} is a floating major tag; Data Flow needs release 22.3 or later',
    'pin the PBX image to 22.3 or later (e.g. portsip/pbx:22.3) so the bundle cannot pick up an older 22.x',
    'The guides install with `portsip/pbx:22`, a tag that follows the newest 22.x release. pbxplan reads it as 22.0.0 but cannot know which 22.x the registry (or the image tarball) holds, so it warns instead of refusing. `dataflow_ctl.sh` checks the image label on the host and aborts below 22.3 (DF-INST) [C15].',
  ),
  firewall_subnet_not_covering: entry(
    'error',
    'firewall.subnet {subnet} does not cover {ip} ({host})',
    'widen the subnet or use trustedSources: hosts; every cluster IP must be a trusted source on the PBX [C24]',
    'With `trustedSources: subnet` the main PBX trusts one network instead of each host. Every cluster server address must lie inside it, or that server cannot reach the PBX [C24].',
  ),
  whitelist_expiry_missing: entry(
    'error',
    'the spec has cluster servers but no whitelist.expires',
    'add `whitelist: { expires: YYYY-MM-DD }` with a date years ahead, e.g. 2036-12-31',
    'Every cluster server address must be whitelisted in the PBX web portal with a long expiry, or rate limiting breaks cluster traffic (CL-CFG) [C23]. The runbook lists each entry with this date.',
  ),
  whitelist_expiry_past: entry(
    'error',
    'whitelist expiry {expires} is not in the future (today is {today})',
    'choose a date years ahead, e.g. {suggest}',
    'A whitelist entry that has expired no longer protects cluster traffic from the PBX rate limiter (CL-CFG) [C23]. "Today" is the date pbxplan was run with (`--today` fixes it for reproducible checks).',
  ),
  topology_not_supported: entry(
    'error',
    '{what} is not generated by this version of pbxplan',
    '{fix}',
    'The spec is valid, but this compiler version cannot yet emit a bundle for this shape of cluster.',
  ),
} as const satisfies Record<string, CodeEntry>;

export type Code = keyof typeof CODES;

export function isCode(s: string): s is Code {
  return Object.prototype.hasOwnProperty.call(CODES, s);
}

/** Fills `{name}` placeholders; unknown placeholders stay visible so a test can catch them. */
export function fill(template: string, args: Record<string, string | number>): string {
  return template.replace(/\{([a-zA-Z]+)\}/g, (m, k: string) => (k in args ? String(args[k]) : m));
}
