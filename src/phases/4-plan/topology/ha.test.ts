// The HA bundles carry the documented vendor HA calls with the spec's values (OP-SCALE, OP-IM,
// OP-DF, OP-SBC, AWS-*), and vars.yml has exactly the documented keys (OP-INST, AWS-INST).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { FIXTURES } from '../../../../test/golden.js';
import { dataPathSize } from './ha.js';

const golden = (fixture: string, path: string) => readFileSync(join(FIXTURES, fixture, 'expected', path), 'utf8');
const haCalls = (script: string) =>
  script
    .split('\n')
    .filter((l) => /^\s+ha_vendor \S+/.test(l))
    .map((l) => l.trim());
const varsKeys = (text: string) =>
  text
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split(':')[0]);

test('pbx_datapath_size reproduces the guide: 36G of 40 GB, 490G of 500 GB', () => {
  assert.equal(dataPathSize(40), '36G');
  assert.equal(dataPathSize(500), '490G');
  assert.equal(dataPathSize(1000), '980G');
});

test('ha-onprem-full: pbx01 deploys every extended server with the documented commands, in order', () => {
  assert.deepEqual(haCalls(golden('ha-onprem-full', 'hosts/pbx01/install.sh')), [
    'ha_vendor install_dependencies.sh',
    'ha_vendor deploy_pbx.sh',
    'ha_vendor extend.sh run -s media-server-only -n media-server-1 -a 192.168.1.21',
    'ha_vendor extend.sh run -s queue-server-only -n queue-server-1 -a 192.168.1.22',
    'ha_vendor extend.sh run -s meeting-server-only -n meeting-server-1 -a 192.168.1.23',
    'ha_vendor extend.sh run -s vr-server-only -n vr-server-1 -a 192.168.1.24',
    'ha_vendor im.sh run -a 192.168.1.25 -A 104.18.36.110 -f /chat/files',
    'ha_vendor dataflow.sh run -p /var/lib/portsip -a 192.168.1.26 -d portsip/clickhouse:25.8 -i portsip/pbx:22.3',
    'ha_vendor sbc.sh run -a 192.168.1.11,192.168.1.12,192.168.1.13 -i portsip/sbc:11',
  ]);
});

test('only pbx01 runs HA commands; the other hosts only prepare', () => {
  for (const host of ['pbx02', 'pbx03', 'media-server-1', 'im-server', 'sbc1']) {
    const script = golden('ha-onprem-full', `hosts/${host}/install.sh`);
    assert.deepEqual(haCalls(script), [], host);
    assert.ok(!/^\s+vendor /m.test(script), `${host} runs a vendor script`);
  }
  assert.match(golden('ha-onprem-full', 'hosts/media-server-1/install.sh'), /deployed from" pbx01/);
});

test('on-premises vars.yml has exactly the documented keys and values', () => {
  const text = golden('ha-onprem', 'hosts/pbx01/vars.yml');
  assert.deepEqual(varsKeys(text), ['pbx01_hostname', 'pbx02_hostname', 'pbx03_hostname', 'pbx01_private_ip', 'pbx02_private_ip', 'pbx03_private_ip', 'vip', 'pbx_image', 'pbx_datapath_disk', 'pbx_datapath_size']);
  assert.match(text, /^vip: 192\.168\.1\.130$/m);
  assert.match(text, /^pbx_datapath_size: 36G$/m);
});

test('AWS vars.yml has exactly the documented keys; no reboot and no ssh-copy-id on AWS', () => {
  const text = golden('ha-aws', 'hosts/ip-172-31-16-133/vars.yml');
  assert.deepEqual(varsKeys(text), ['pbx01_instance_id', 'pbx02_instance_id', 'pbx03_instance_id', 'eip_allocation_id', 'ebs_volume_id', 'pbx_image', 'ssh_private_key_file']);
  const script = golden('ha-aws', 'hosts/ip-172-31-16-133/install.sh');
  assert.doesNotMatch(script, /ssh-copy-id -i/);
  assert.doesNotMatch(script, /^readonly STEP_IDS=.*reboot/m);
  assert.match(script, /ha_pbx_started show/);
  assert.deepEqual(haCalls(script).slice(-1), ['ha_vendor dataflow.sh run -p /var/lib/portsip -a 172.31.16.158 -A 54.215.234.68 -d portsip/clickhouse:25.8 -i portsip/pbx:22.3']);
});

test('the on-premises reboot order is pbx03, pbx02, then pbx01 itself, before deploy_pbx.sh', () => {
  const ids = /^readonly STEP_IDS=\((.*)\)$/m.exec(golden('ha-onprem', 'hosts/pbx01/install.sh'))![1]!.split(' ');
  const at = (id: string) => ids.indexOf(id);
  assert.ok(at('ha-dependencies') < at('reboot-pbx03'));
  assert.ok(at('reboot-pbx03') < at('reboot-pbx02'));
  assert.ok(at('reboot-pbx02') < at('reboot-pbx01'));
  assert.ok(at('reboot-pbx01') < at('ha-deploy'));
  assert.ok(at('ha-deploy') < at('portal-ready'));
  assert.ok(at('portal-ready') < at('extend-media-server-1'));
});

test('IVR management is vr-server-only everywhere in the HA runbook', () => {
  const runbook = golden('ha-onprem-full', 'RUNBOOK.md');
  assert.match(runbook, /extend\.sh restart -s vr-server-only -a 192\.168\.1\.24/);
  assert.doesNotMatch(runbook, /-s ivr-server-only/);
  assert.doesNotMatch(golden('ha-onprem-full', 'hosts/pbx01/install.sh'), /ivr-server-only/);
});
