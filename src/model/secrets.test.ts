import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findSecrets, SECRET_MIN_LENGTH } from './secrets.js';

test('findSecrets finds generated tokens in a value and nothing in names, addresses and short runs', () => {
  const token = 'q8Zr2Lk9Wm4Xv7Tn1Bc5Hd3Fs6Gj0Py';
  assert.deepEqual(findSecrets(`token ${token} here`).map((s) => [s.token, s.index]), [[token, 6]]);
  assert.equal(findSecrets('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP')[0]?.shape, 'base32');
  for (const plain of ['media-0', '10.10.0.10', '/var/lib/portsip', 'portsip/pbx:22.3', token.slice(0, SECRET_MIN_LENGTH - 1), `${token.slice(0, 20)} ${token.slice(20)}`]) {
    assert.deepEqual(findSecrets(plain), [], plain);
  }
});
