// capacity (optional): the media servers carry the concurrent calls [C16]; one IM server, so one
// deployment, serves at most 50,000 online users [C12] (domain §2.3, §2.4).
import type { Rule } from '../context.js';
import { MEDIA_MAX_SESSIONS } from './sizing.js';

/** What the portal API gives a media server created without max_concurrency (API). */
export const MEDIA_DEFAULT_SESSIONS = 2000;
/** CL-README, CL-CFG, OP-IM; CL-TOPO's 100,000 is the outlier (E40). */
export const MAX_ONLINE_USERS = 50000;

const n = (x: number) => x.toLocaleString('en-US');

export const mediaCapacity: Rule = ({ spec, bag }) => {
  const calls = spec.capacity?.concurrentCalls;
  const media = (spec.servers ?? []).map((s, i) => ({ s, i })).filter(({ s }) => s.role === 'media');
  // Without media servers the PBX's own media service carries the calls; the hardware table sizes that host.
  if (calls === undefined || !media.length) return;
  const total = media.reduce((sum, { s }) => sum + (s.maxCallSessions ?? MEDIA_DEFAULT_SESSIONS), 0);
  if (calls <= total) return;
  const missing = Math.ceil((calls - total) / MEDIA_MAX_SESSIONS);
  const defaulted = media.filter(({ s }) => s.maxCallSessions === undefined);
  bag.add(
    'capacity_calls_exceed_media',
    ['capacity', 'concurrentCalls'],
    { calls: n(calls), total: n(total), count: media.length, missing, servers: missing === 1 ? 'server' : 'servers', per: n(MEDIA_MAX_SESSIONS) },
    { related: defaulted.map(({ s, i }) => ({ message: `"${s.name}" has no maxCallSessions and counts as ${n(MEDIA_DEFAULT_SESSIONS)}`, path: ['servers', i] })) },
  );
};

export const onlineUsers: Rule = ({ spec, bag }) => {
  const users = spec.capacity?.onlineUsers;
  if (users !== undefined && users > MAX_ONLINE_USERS) bag.add('capacity_online_users_exceed_limit', ['capacity', 'onlineUsers'], { value: n(users), max: n(MAX_ONLINE_USERS) });
};
