// Rules and helpers of phase 3 beyond what the one-fixture-per-code goldens show: the secret
// heuristic, the IPv4 helpers, and the branches of the rules that a single fixture cannot take.
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { compile, createToolchain } from '../../index.js';
import { CODES } from '../../diagnostics/codes.js';
import { classifyIpv4, inNetwork, networkOf, smallestCoveringPrefix } from '../../model/ipv4.js';
import { findSecretLike, maskSecret, systemSecretRef } from '../../model/secrets.js';

const toolchain = createToolchain();
const TODAY = '2026-01-01';

/** Codes a spec produces, sorted; checks only, no bundle. */
function codes(text: string): string[] {
  return compile(text, { today: TODAY, generatedBy: 'test', checkOnly: true, toolchain }).diagnostics.map((d) => d.code).sort();
}

const head = `apiVersion: pbxplan/v1
kind: Cluster
metadata: { name: acme }
platform: onprem
os: ubuntu-24.04
release: { pbxImage: "portsip/pbx:22.3" }
`;
const single = (servers: string, extra = '') =>
  `${head}pbx:\n  mode: single\n  host: { hostname: pbx, privateIp: 10.0.0.10 }\nservers:\n${servers}whitelist: { expires: 2036-12-31 }\n${extra}`;
const ha = (servers: string, extra = '', vip = '10.0.0.10') =>
  `${head}sshUser: pbx\npbx:\n  mode: ha\n  nodes:\n    - { hostname: pbx01, privateIp: 10.0.0.11 }\n    - { hostname: pbx02, privateIp: 10.0.0.12 }\n    - { hostname: pbx03, privateIp: 10.0.0.13 }\n  virtualIp: ${vip}\n  dataDisk: { device: /dev/sdb, sizeGb: 500 }\nservers:\n${servers}whitelist: { expires: 2036-12-31 }\n${extra}`;

test('findSecretLike: finds random base64 and base32 tokens', () => {
  const b32 = (n: number) => [...randomBytes(n)].map((x) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'[x % 32]).join('');
  let b64hits = 0;
  let b32hits = 0;
  for (let i = 0; i < 500; i++) {
    if (findSecretLike(`token ${randomBytes(33).toString('base64')} here`)) b64hits++;
    if (findSecretLike(b32(40))) b32hits++;
  }
  assert.ok(b64hits >= 475, `base64 44 chars: ${b64hits}/500`);
  assert.ok(b32hits >= 450, `base32 40 chars: ${b32hits}/500`);
  assert.equal(findSecretLike('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP')?.shape, 'base32');
});

test('findSecretLike: leaves names, paths, words and references alone', () => {
  for (const v of [
    'ACME contact centre, HA, Frankfurt DC',
    'ACMEContactCentre2024Frankfurt',
    'ThisIsAVeryLongCamelCaseName2024WithManyWords',
    'MediaServerFrankfurtDataCentre2',
    'SBCCLUSTERFRANKFURT2NODES',
    'SITE2RACK4NODE3CLUSTERABC',
    '/var/lib/portsip/Recordings/Site2024Archive',
    'registry.acme.local:5000/portsip/pbx:22.3',
    'media-server-1-frankfurt-dc2-rack14',
    'PBXPLAN_IM_TOKEN_FOR_THE_FRANKFURT_SITE_2',
    'i-0123456789abcdef0',
    // Digests written as digests are checksums, not secrets (a bare 32+ hex run is a key).
    'sha1:0123456789abcdef0123456789abcdef01234567',
    'image portsip/pbx@sha256:9b2a0c6f4e1d8a7b3c5e2f1a0d9c8b7a6e5f4d3c2b1a0f9e8d7c6b5a4f3e2d1c',
    'vol-0123456789abcdef0 sg-0123456789abcdef0 eipalloc-0123456789abcdef0',
    'SBC cluster FRANKFURT2 RACK14 NODE3 CONTACTCENTRE 2024',
  ]) {
    assert.equal(findSecretLike(v), undefined, v);
  }
});

test('findSecretLike: the portal\'s IM token and hexadecimal keys', () => {
  // The IM token of the vendor's own guide (Configuring Cluster Servers, im_ctl.sh -t).
  assert.equal(findSecretLike('IM token MJC4NZBLYTGTZTJJNS0ZMWZHLWIXZDCTZJLLMDEWZJHKZTAY for the site')?.shape, 'capitals-and-digits');
  // The portal's form: base64 of a UUID in upper case.
  let hits = 0;
  for (let i = 0; i < 500; i++) if (findSecretLike(Buffer.from(randomUUID()).toString('base64').toUpperCase())) hits++;
  assert.ok(hits >= 495, `portal-style tokens: ${hits}/500`);
  assert.equal(findSecretLike('token d41d8cd98f00b204e9800998ecf8427e')?.shape, 'hexadecimal');
  assert.equal(findSecretLike('key=0123456789abcdef0123456789abcdef')?.shape, 'hexadecimal');
  assert.equal(findSecretLike(randomBytes(20).toString('hex'))?.shape, 'hexadecimal');
  // A digest label of the wrong length is no digest.
  assert.equal(findSecretLike('sha256:0123456789abcdef0123456789abcdef')?.shape, 'hexadecimal');
});

test('secret references: system variables and files are refused, own names pass', () => {
  for (const env of ['PATH', 'HOME', 'USER', 'SHELL', 'PWD', 'LANG', 'LC_ALL', 'TERM', 'LD_PRELOAD', 'SUDO_USER', 'SSH_AUTH_SOCK', 'MODE', 'ROOT', 'PBXPLAN_ROOT']) {
    assert.ok(systemSecretRef({ env }), env);
  }
  for (const file of ['/etc/shadow', '/etc/passwd', '/etc/sudoers', '/etc/sudoers.d/90-cloud', '/proc/self/environ', '/sys/kernel/x', '/dev/zero', '/root/.ssh/id_ed25519', '/home/pbx/.aws/credentials', '/root/']) {
    assert.ok(systemSecretRef({ file }), file);
  }
  for (const ok of [{ env: 'PBXPLAN_IM_TOKEN' }, { env: 'IM_TOKEN' }, { env: 'PATHWAY_TOKEN' }, { file: '/root/im.token' }, { file: '/etc/portsip/im.token' }, { file: '/run/secrets/im_token' }]) {
    assert.equal(systemSecretRef(ok), undefined, JSON.stringify(ok));
  }
});

test('every upper-case variable the generated script sets is refused as a secret reference', () => {
  const dir = new URL('../../../templates/', import.meta.url);
  const names = new Set<string>();
  const walk = (d: URL): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(new URL(`${e.name}/`, d));
      else if (e.name.endsWith('.hbs')) {
        for (const m of readFileSync(new URL(e.name, d), 'utf8').matchAll(/(?:^|[\s;(])(?:local |readonly |export )?([A-Z_][A-Z0-9_]*)=/gm)) names.add(m[1]!);
      }
    }
  };
  walk(dir);
  assert.ok(names.size > 10, `found ${names.size}`);
  for (const n of names) assert.ok(systemSecretRef({ env: n }), `${n} is set by the generated script but allowed as tokenRef.env`);
});

test('firewall.subnet: wider than /16 is an error, the band up to /16 a warning', () => {
  const media = '  - { role: media, name: m1, privateIp: 10.0.0.21 }\n';
  const fw = (net: string) => single(media, `firewall: { trustedSources: subnet, subnet: ${net} }\n`);
  assert.deepEqual(codes(fw('0.0.0.0/0')), ['firewall_subnet_unsafe']);
  assert.deepEqual(codes(fw('10.0.0.0/8')), ['firewall_subnet_unsafe']);
  assert.deepEqual(codes(fw('10.0.0.0/15')), ['firewall_subnet_unsafe']);
  assert.deepEqual(codes(fw('10.0.0.0/16')), ['firewall_subnet_too_wide']);
  assert.deepEqual(codes(fw('10.0.0.0/20')), []);
  // Without servers there is nothing to cover, but all of IPv4 is still refused.
  assert.deepEqual(codes(`${head}pbx:\n  mode: single\n  host: { hostname: pbx, privateIp: 10.0.0.10 }\nfirewall: { trustedSources: subnet, subnet: 0.0.0.0/0 }\n`), ['firewall_subnet_unsafe']);
});

test('maskSecret shows four characters at most', () => {
  assert.equal(maskSecret('kR7vQ2mX9pLw4ZtB8nYc3HdF6sJa1GeU'), 'kR7v…');
  assert.equal(maskSecret('short'), '…');
});

test('IPv4 helpers', () => {
  assert.equal(classifyIpv4('127.0.0.1')?.class, 'unusable');
  assert.equal(classifyIpv4('0.1.2.3')?.class, 'unusable');
  assert.equal(classifyIpv4('255.255.255.255')?.kind, 'broadcast');
  assert.equal(classifyIpv4('100.64.0.1')?.class, 'private');
  assert.equal(classifyIpv4('192.0.0.8')?.class, 'private');
  assert.equal(classifyIpv4('203.0.113.10')?.class, 'public'); // documentation blocks read as public
  assert.equal(classifyIpv4('104.18.36.120')?.class, 'public');
  assert.equal(networkOf('192.168.1.5/24'), '192.168.1.0/24');
  assert.ok(inNetwork('172.31.20.1', '172.31.16.0/20'));
  assert.ok(!inNetwork('172.31.32.1', '172.31.16.0/20'));
  assert.equal(smallestCoveringPrefix(['10.0.0.1', '10.0.0.6']), 29);
  assert.equal(smallestCoveringPrefix([]), undefined);
});

test('the shipped examples stay free of findings', () => {
  for (const f of ['examples/cluster.yaml', 'templates/init/cluster.yaml']) {
    assert.deepEqual(codes(readFileSync(new URL(`../../../${f}`, import.meta.url), 'utf8')), [], f);
  }
});

test('HA: a media server on a node address, or a node host name, is on the PBX host [C3]', () => {
  assert.deepEqual(codes(ha('  - { role: media, name: m1, privateIp: 10.0.0.12 }\n')), ['server_on_pbx_host']);
  assert.deepEqual(codes(ha('  - { role: media, name: m1, hostname: pbx02, privateIp: 10.0.0.21 }\n')), ['server_on_pbx_host']);
  // In a single-PBX cluster a media server on the PBX address is a plain duplicate [C1].
  assert.deepEqual(codes(single('  - { role: media, name: m1, privateIp: 10.0.0.10 }\n')), ['host_ip_duplicate']);
});

test('HA VIP network: firewall.subnet counts only when it holds the nodes; AWS uses its subnet', () => {
  const media = '  - { role: media, name: m1, privateIp: 10.0.0.21 }\n';
  // The subnet holds the nodes and the VIP: nothing to say.
  assert.deepEqual(codes(ha(media, 'firewall: { trustedSources: subnet, subnet: 10.0.0.0/23 }\n', '10.0.1.10')), []);
  // A subnet that does not hold the nodes is ignored; the /24 the nodes share applies, and a VIP
  // outside it cannot move between them: an error naming the nodes' network.
  assert.deepEqual(codes(ha(media, 'firewall: { trustedSources: subnet, subnet: 10.0.0.16/28 }\n', '10.0.1.10')), ['ha_vip_outside_node_network']);
  const d = compile(ha(media, '', '10.0.1.10'), { today: TODAY, generatedBy: 't', checkOnly: true, toolchain }).diagnostics;
  assert.deepEqual(d.map((x) => x.code), ['ha_vip_outside_node_network']);
  assert.match(d[0]!.hint!, /address of 10\.0\.0\.0\/24 /);
  // Nodes that are not in one /24: their network is unknown, a warning that names what they span.
  const spread = ha(media, '', '10.0.0.10').replace('privateIp: 10.0.0.13', 'privateIp: 10.0.3.13');
  const w = compile(spread, { today: TODAY, generatedBy: 't', checkOnly: true, toolchain }).diagnostics;
  assert.deepEqual(w.map((x) => x.code), ['ha_vip_outside_node_24']);
  assert.match(w[0]!.hint!, /span 10\.0\.0\.0\/22/);
  // On AWS (v22 has no VIP, but the key is allowed) the subnet is a fact: a VIP outside it is an error.
  const aws = readFileSync(new URL('../../../fixtures/ha-aws/spec.yaml', import.meta.url), 'utf8');
  assert.deepEqual(codes(aws), []);
  assert.deepEqual(codes(aws.replace('  publicIp: 54.151.30.9', '  virtualIp: 172.31.48.130\n  publicIp: 54.151.30.9')), ['ha_vip_outside_subnet']);
});

test('portal whitelist: lapsed entries and entries for unknown addresses', () => {
  const servers = '  - { role: media, name: m1, privateIp: 10.0.0.21 }\n';
  const d = compile(single(servers, 'portal:\n  whitelist:\n    - { ip: 10.0.0.21, expires: 2025-06-30 }\n    - { ip: 10.0.0.99, expires: 2025-06-30 }\n'), { today: TODAY, generatedBy: 't', checkOnly: true, toolchain }).diagnostics;
  assert.deepEqual(d.map((x) => x.code), ['portal_whitelist_expiry_short', 'portal_whitelist_unknown_ip']);
  assert.match(d[0]!.message, /has lapsed/);
});

test('capacity: no media servers means no media check; defaults count as 2,000', () => {
  assert.deepEqual(codes(`${head}pbx:\n  mode: single\n  host: { hostname: pbx, privateIp: 10.0.0.10 }\ncapacity: { concurrentCalls: 3000 }\n`), []);
  assert.deepEqual(codes(single('  - { role: media, name: m1, privateIp: 10.0.0.21 }\n', 'capacity: { concurrentCalls: 2000 }\n')), []);
  assert.deepEqual(codes(single('  - { role: media, name: m1, privateIp: 10.0.0.21 }\n', 'capacity: { concurrentCalls: 2001 }\n')), ['capacity_calls_exceed_media']);
});

test('sizing: recording media needs 256 GB; IM follows the online-user tiers', () => {
  assert.deepEqual(codes(single('  - { role: media, name: m1, privateIp: 10.0.0.21, recording: true, hardware: { diskGb: 200 } }\n')), ['hardware_below_minimum']);
  assert.deepEqual(codes(single('  - { role: media, name: m1, privateIp: 10.0.0.21, hardware: { diskGb: 200 } }\n')), []);
  const im = '  - { role: im, name: im, privateIp: 10.0.0.25, tokenRef: { env: T }, hardware: { cpus: 10, memoryGb: 8, diskGb: 256 } }\n';
  assert.deepEqual(codes(single(im, 'capacity: { onlineUsers: 5000 }\n')), []);
  assert.deepEqual(codes(single(im, 'capacity: { onlineUsers: 20000 }\n')), ['hardware_below_minimum', 'hardware_below_minimum']);
});

test('SBC: the default image is 11; a tag that is not a version has its own code', () => {
  const sbc = '  - { role: sbc, name: s1, privateIp: 10.0.0.11 }\n';
  assert.deepEqual(codes(single(sbc)), []);
  assert.deepEqual(codes(single(sbc).replace('release: { pbxImage: "portsip/pbx:22.3" }', 'release: { pbxImage: "portsip/pbx:22.3", sbcImage: "portsip/sbc:stable" }')), ['image_tag_not_version']);
});

test('a literal password where passwordRef belongs is secret_ref_literal, and is not echoed', () => {
  const text = single('  - { role: media, name: m1, privateIp: 10.0.0.21 }\n').replace(
    'release: { pbxImage: "portsip/pbx:22.3" }',
    'release:\n  pbxImage: "portsip/pbx:22.3"\n  registry: { server: registry.acme.local, username: deploy, passwordRef: "hunter2-but-longer" }',
  );
  const d = compile(text, { today: TODAY, generatedBy: 't', checkOnly: true, toolchain }).diagnostics;
  assert.deepEqual(d.map((x) => x.code), ['secret_ref_literal']);
  assert.ok(!JSON.stringify(d).includes('hunter2-but-longer'));
});

test('docs/invariants.md lists every code with its severity, and maps C1 to C35', () => {
  const doc = readFileSync(new URL('../../../docs/invariants.md', import.meta.url), 'utf8');
  for (const [code, e] of Object.entries(CODES)) {
    assert.match(doc, new RegExp(`^\\| \`${code}\` \\| ${e.severity} \\|`, 'm'), `${code} missing from the code list of docs/invariants.md`);
  }
  for (let i = 1; i <= 35; i++) assert.match(doc, new RegExp(`^\\| C${i} \\|`, 'm'), `C${i} missing from docs/invariants.md`);
});
