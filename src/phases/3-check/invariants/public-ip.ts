// C8: a site whose PBX has a public IP serves users on the Internet; its media servers need a
// static public IP for audio, and its IM server one for clients. (On AWS every extended server
// needs its Elastic IP anyway: aws_server_public_ip_missing.)
import type { ServerRole } from '../../../model/spec.js';
import type { Rule } from '../context.js';

/** The hint's reason, in words (the pages are named in the code's explanation). */
const WHY: Partial<Record<ServerRole, string>> = {
  media: 'callers on the Internet send and receive audio through it', // CL-CFG, OP-SCALE
  im: 'clients on the Internet connect to it on TCP 8887', // CL-CFG, OP-IM
};

export const internetFacingServers: Rule = ({ spec, bag }) => {
  if (spec.platform === 'aws') return;
  const pbxPublic = spec.pbx.mode === 'ha' ? spec.pbx.publicIp : spec.pbx.host?.publicIp;
  if (!pbxPublic) return;
  const pbxPath = spec.pbx.mode === 'ha' ? ['pbx', 'publicIp'] : ['pbx', 'host', 'publicIp'];
  (spec.servers ?? []).forEach((s, i) => {
    const why = WHY[s.role];
    if (!why || s.publicIp) return;
    bag.add('server_public_ip_missing', ['servers', i], { role: s.role, name: s.name, pbxPublic, why }, { related: [{ message: 'the PBX public IP', path: pbxPath }] });
  });
};
