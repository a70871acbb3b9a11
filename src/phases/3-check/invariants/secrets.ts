// Secrets never live in the spec: a long generated-looking run of characters in any value is a
// token or password pasted in the wrong place. The diagnostic shows only its first characters.
// (A string where a tokenRef/passwordRef belongs is caught earlier, by validation: secret_ref_literal.)
import { formatPath } from '../../../diagnostics/yaml-path.js';
import { findSecretLike, maskSecret } from '../../../model/secrets.js';
import type { Rule } from '../context.js';
import { stringValues } from '../values.js';

/** Values whose shape the schema fixes as a public digest (release.scripts: each control
 * script's sha256), not something a secret could be pasted into unnoticed. */
const isDigest = (path: (string | number)[]) => path.length === 4 && path[0] === 'release' && path[1] === 'scripts' && path[2] === 'sha256';

export const noSecretValues: Rule = ({ spec, bag }) => {
  for (const { path, value } of stringValues(spec)) {
    if (isDigest(path)) continue;
    const found = findSecretLike(value);
    if (!found) continue;
    bag.add('secret_value_in_spec', path, { what: formatPath(path), shape: found.shape, masked: maskSecret(found.token), length: found.token.length });
  }
};
