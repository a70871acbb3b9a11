// Secrets never live in the spec: a long generated-looking run of characters in any value is a
// token or password pasted in the wrong place. The diagnostic shows only its first characters.
// (A string where a tokenRef/passwordRef belongs is caught earlier, by validation: secret_ref_literal.)
import { formatPath } from '../../../diagnostics/yaml-path.js';
import { findSecretLike, maskSecret } from '../../../model/secrets.js';
import type { Rule } from '../context.js';
import { stringValues } from '../values.js';

export const noSecretValues: Rule = ({ spec, bag }) => {
  for (const { path, value } of stringValues(spec)) {
    const found = findSecretLike(value);
    if (!found) continue;
    bag.add('secret_value_in_spec', path, { what: formatPath(path), shape: found.shape, masked: maskSecret(found.token), length: found.token.length });
  }
};
