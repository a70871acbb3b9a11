// A secret reference names where the script reads the secret at run time. A variable the system
// or the script itself sets (PATH, HOME, LD_PRELOAD, MODE…) or a system file (/etc/shadow,
// /proc/…, an SSH key) is never a secret store: reading one would hand host data to the vendor
// script as a token and print or keep it where tokens go. Refused at the reference.
import { systemSecretRef } from '../../../model/secrets.js';
import type { Rule } from '../context.js';

export const secretRefsNotSystem: Rule = ({ spec, bag }) => {
  const refs: { path: (string | number)[]; key: string; ref: { env?: string; file?: string } }[] = [];
  (spec.servers ?? []).forEach((s, i) => {
    if (s.tokenRef) refs.push({ path: ['servers', i, 'tokenRef'], key: 'tokenRef', ref: s.tokenRef });
  });
  const registry = spec.release.registry;
  if (registry?.passwordRef) refs.push({ path: ['release', 'registry', 'passwordRef'], key: 'passwordRef', ref: registry.passwordRef });
  for (const { path, key, ref } of refs) {
    const why = systemSecretRef(ref);
    if (!why) continue;
    const kind = ref.env !== undefined ? 'env' : 'file';
    const name = ref.env ?? ref.file!;
    bag.add('secret_ref_system', [...path, kind], { key: `${key}.${kind}`, name, why, example: kind === 'env' ? '{ env: PBXPLAN_IM_TOKEN }' : '{ file: /root/im.token }' });
  }
};
