import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Locator } from '../../diagnostics/diagnostic.js';
import type { Spec } from '../../model/spec.js';
import { pathKey, planBase } from './base.js';

test('pathKey keeps apart paths that join alike', () => {
  const keys = [[], ['servers'], ['servers', 0], ['servers', '0'], ['a.b'], ['a', 'b'], ['1:a'], [1, 'a'], ['servers', 0, 'privateIp']].map(pathKey);
  assert.equal(new Set(keys).size, keys.length);
  assert.equal(pathKey(['servers', 3, 'name']), pathKey(['servers', 3, 'name']));
});

test('origin looks each path up once and answers as before: present paths with their line, in order', () => {
  const spec = { apiVersion: 'pbxplan/v1', kind: 'Cluster', metadata: { name: 'x' }, platform: 'onprem', os: 'ubuntu-24.04', release: { pbxImage: 'portsip/pbx:22.3' }, pbx: { mode: 'single', host: { hostname: 'pbx', privateIp: '10.0.0.1' } }, servers: [{ role: 'media', name: 'm', privateIp: '10.0.0.2' }] } as unknown as Spec;
  const asked: string[] = [];
  const locate: Locator = (path) => {
    asked.push(pathKey(path));
    return { line: path.length + 10, col: 1, endLine: 1, endCol: 2 };
  };
  const base = planBase(spec, 'sha', 'spec.yaml', 'x', locate);
  const first = base.origin(['servers', 0], ['release', 'pbxImage'], ['release', 'sbcImage']);
  assert.deepEqual(first, [{ path: 'servers[0]', line: 12 }, { path: 'release.pbxImage', line: 12 }]);
  assert.deepEqual(base.origin(['release', 'pbxImage'], ['servers', 0]), [{ path: 'release.pbxImage', line: 12 }, { path: 'servers[0]', line: 12 }]);
  assert.deepEqual(base.origin(['release', 'sbcImage']), []);
  assert.equal(asked.length, new Set(asked).size);
});

test('guide words each citation as before, the same text every time', async () => {
  const { guide } = await import('../../model/guides.js');
  assert.equal(guide('CL-CFG', 'restart order'), 'PortSIP guide "Configuring Cluster Servers": restart order');
  assert.equal(guide(['CL-CFG'], 'restart order'), guide('CL-CFG', 'restart order'));
  assert.equal(guide(['PBX-INST', 'CL-PREP']), guide(['PBX-INST', 'CL-PREP']));
  assert.notEqual(guide('CL-CFG'), guide('CL-CFG', 'restart order'));
  assert.match(guide(['CL-CFG', 'IM-INST']), /^PortSIP guides "Configuring Cluster Servers" and ".+"$/);
});
