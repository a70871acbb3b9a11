import assert from 'node:assert/strict';
import { test } from 'node:test';
import { originLine, originView } from './origin.js';

const plan = { specName: 'spec.yaml' };

test('originView names each place once, in order, however many there are', () => {
  const a = { path: 'pbx.host', line: 9 };
  const b = { path: 'servers[0]', line: 11 };
  assert.deepEqual(originView(plan, []), []);
  assert.deepEqual(originView(plan, [a, { ...a }]), [{ at: 'spec.yaml:9', path: 'pbx.host', line: 9 }]);
  assert.deepEqual(originView(plan, [a, b]).map((v) => v.path), ['pbx.host', 'servers[0]']);
  assert.deepEqual(originView(plan, [a, b, a, b, { path: 'servers', line: 11 }]).map((v) => `${v.line} ${v.path}`), ['9 pbx.host', '11 servers[0]', '11 servers']);
});

test('originLine lists the places as the runbooks print them', () => {
  assert.equal(originLine([]), '');
  assert.equal(originLine(originView(plan, [{ path: 'pbx.host', line: 9 }, { path: 'servers[0]', line: 11 }])), 'spec.yaml:9 pbx.host, spec.yaml:11 servers[0]');
});
