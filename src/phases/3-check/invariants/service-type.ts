// C10, E3: the IVR service type is vr-server-only. Guide pages that write ivr-server-only make
// the vendor script fail; refuse the wrong spelling in any value before it reaches a command.
import { formatPath } from '../../../diagnostics/yaml-path.js';
import type { Rule } from '../context.js';
import { stringValues } from '../values.js';

const WRONG = /ivr-server-only/i;
const EVERY = /ivr-server-only/gi;

export const ivrServiceType: Rule = ({ spec, bag }) => {
  for (const { path, value } of stringValues(spec)) {
    if (!WRONG.test(value)) continue;
    const fixed = value.replace(EVERY, (m) => m.slice(1)); // drop the leading "i", keep the case
    bag.add('service_type_ivr_server_only', path, { what: formatPath(path), fixed });
  }
};
