// Shapes the planner cannot emit yet are refused here, before planning, with a clear reason.
import type { Rule } from '../context.js';

export const supportedTopology: Rule = ({ spec, bag }) => {
  if (spec.pbx.mode === 'ha') {
    bag.add('topology_not_supported', ['pbx', 'mode'], { what: 'the three-node HA cluster (pbx.mode: ha)', fix: 'HA bundles come with the HA planner; until then compile single-PBX specs only' });
  }
};
