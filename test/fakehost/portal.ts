// The web portal as the fake host's operator keeps it: the servers and whitelist entries the
// runbook's portal items have them enter, stored beside the hosts (DIR/.portal/facts, one line
// per fact) and dumped with them, so that a change that forgets to delete a whitelist entry or
// a server entry shows in the state like a forgotten container. Install bundles give the data
// (portal-whitelist, portal-add-servers); change bundles give tasks in words (change-portal),
// which the operator reads as a person would — a task about the whitelist or the server lists
// that it does not understand is an error, so the runbook's wording and this model stay in step.
// A task done again (the runbook followed a second time) finds its work done and changes nothing;
// one that finds neither the old nor the new value is an error.
// portal-verify items are checked against what was entered.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const PORTAL_DIR = '.portal';

interface ServerFields {
  privateIp: string | null;
  publicIp: string | null;
  maxCallSessions: number | string | null;
  maxRooms: number | string | null;
  maxParticipants: number | string | null;
}

interface PortalState {
  whitelist: Map<string, { host: string; expires: string }>;
  servers: Map<string, ServerFields>; // key: "<menu>\0<name>"
}

const FIELDS = ['privateIp', 'publicIp', 'maxCallSessions', 'maxRooms', 'maxParticipants'] as const;

function file(stateDir: string): string {
  return join(stateDir, PORTAL_DIR, 'facts');
}

/** The portal's facts, one line each, sorted: "portal whitelist …", "portal server …". */
export function portalFacts(stateDir: string): string[] {
  const f = file(stateDir);
  return existsSync(f) ? readFileSync(f, 'utf8').split('\n').filter((l) => l !== '') : [];
}

function read(stateDir: string): PortalState {
  const st: PortalState = { whitelist: new Map(), servers: new Map() };
  for (const l of portalFacts(stateDir)) {
    const w = /^portal whitelist (\S+) host=(\S+) expires=(\S+)$/.exec(l);
    if (w) st.whitelist.set(w[1]!, { host: w[2]!, expires: w[3]! });
    const s = /^portal server (.+?) \| (\S+)((?: \w+=\S+)*)$/.exec(l);
    if (s) {
      const fields = Object.fromEntries(FIELDS.map((k) => [k, null])) as unknown as ServerFields;
      for (const m of s[3]!.matchAll(/(\w+)=(\S+)/g)) (fields as unknown as Record<string, string | null>)[m[1]!] = m[2] === '-' ? null : m[2]!;
      st.servers.set(`${s[1]}\0${s[2]}`, fields);
    }
  }
  return st;
}

function write(stateDir: string, st: PortalState): void {
  const lines = [
    ...[...st.whitelist].map(([ip, e]) => `portal whitelist ${ip} host=${e.host} expires=${e.expires}`),
    ...[...st.servers].map(([key, f]) => {
      const [menu, name] = key.split('\0');
      return `portal server ${menu} | ${name} ${FIELDS.map((k) => `${k}=${f[k] ?? '-'}`).join(' ')}`;
    }),
  ].sort();
  mkdirSync(join(stateDir, PORTAL_DIR), { recursive: true });
  writeFileSync(file(stateDir), lines.map((l) => l + '\n').join(''));
}

/** "192.168.1.22 (queue-server-1), 192.168.1.23 (meeting-server-1)" */
function entries(text: string): { ip: string; host: string }[] {
  return text.split(/,\s*/).map((e) => {
    const m = /^(\S+) \((\S+)\)$/.exec(e.trim());
    if (!m) throw new Error(`fake portal: not a whitelist entry: ${e}`);
    return { ip: m[1]!, host: m[2]! };
  });
}

/** One change-portal task read as the operator does it. Tasks about other things (a token, the
 * setup wizard) change no fact the portal model keeps. */
function doTask(st: PortalState, task: string): void {
  let m: RegExpExecArray | null;
  if ((m = /^IP Blacklist > Add, as whitelisted until (\S+): (.+)$/.exec(task))) {
    for (const e of entries(m[2]!)) st.whitelist.set(e.ip, { host: e.host, expires: m[1]! });
  } else if ((m = /^IP Blacklist: delete (.+)$/.exec(task))) {
    // Done again (the runbook followed a second time): what is gone stays gone.
    for (const e of entries(m[1]!)) st.whitelist.delete(e.ip);
  } else if ((m = /^IP Blacklist: edit each entry's expiry, (\S+) → (\S+) for (.+)$/.exec(task))) {
    for (const ip of m[3]!.split(/,\s*/)) {
      const e = st.whitelist.get(ip);
      if (!e) throw new Error(`fake portal: no whitelist entry ${ip} to edit`);
      if (e.expires !== m[1] && e.expires !== m[2]) throw new Error(`fake portal: whitelist entry ${ip} expires ${e.expires}, not ${m[1]}`);
      e.expires = m[2]!;
    }
  } else if ((m = /^IP Blacklist: edit each entry's description to its host's new name, (.+)$/.exec(task))) {
    for (const e of m[1]!.split(/,\s*/)) {
      const r = /^(\S+) \((\S+) → (\S+)\)$/.exec(e.trim());
      if (!r) throw new Error(`fake portal: not a renamed whitelist entry: ${e}`);
      const entry = st.whitelist.get(r[1]!);
      if (!entry) throw new Error(`fake portal: no whitelist entry ${r[1]} to edit`);
      if (entry.host !== r[2] && entry.host !== r[3]) throw new Error(`fake portal: whitelist entry ${r[1]} is ${entry.host}, not ${r[2]}`);
      entry.host = r[3]!;
    }
  } else if ((m = /^(Servers > [A-Za-z ]+?) > Add: name ([^,\s]+), private IP ([^,\s]+)(?:, public IP ([^,\s]+))?(.*)$/.exec(task))) {
    const fields: ServerFields = { privateIp: m[3]!, publicIp: m[4] ?? null, maxCallSessions: null, maxRooms: null, maxParticipants: null };
    for (const f of m[5]!.matchAll(/, (maxCallSessions|maxRooms|maxParticipants) ([^,\s]+)/g)) fields[f[1] as 'maxRooms'] = f[2]!;
    st.servers.set(`${m[1]}\0${m[2]}`, fields);
  } else if ((m = /^(Servers > [A-Za-z ]+?): (\S+): delete the entry\b/.exec(task))) {
    st.servers.delete(`${m[1]}\0${m[2]}`);
  } else if ((m = /^(Servers > [A-Za-z ]+?): (\S+) → (\S+): rename the entry\b/.exec(task))) {
    const f = st.servers.get(`${m[1]}\0${m[2]}`);
    if (f) {
      st.servers.delete(`${m[1]}\0${m[2]}`);
      st.servers.set(`${m[1]}\0${m[3]}`, f);
    } else if (!st.servers.has(`${m[1]}\0${m[3]}`)) throw new Error(`fake portal: no server ${m[2]} under ${m[1]} to rename`);
  } else if ((m = /^(Servers > [A-Za-z ]+?): (\S+) (privateIp|publicIp|maxCallSessions|maxRooms|maxParticipants) (\S+) → (\S+): edit the entry\b/.exec(task))) {
    const f = st.servers.get(`${m[1]}\0${m[2]}`);
    if (!f) throw new Error(`fake portal: no server ${m[2]} under ${m[1]} to edit`);
    const key = m[3] as (typeof FIELDS)[number];
    if (String(f[key] ?? '-') !== m[4] && String(f[key] ?? '-') !== m[5]) throw new Error(`fake portal: ${m[2]} ${key} is ${f[key] ?? '-'}, not ${m[4]}`);
    f[key] = m[5] === '-' ? null : m[5]!;
  } else if (/^(IP Blacklist|Servers >)/.test(task)) {
    throw new Error(`fake portal: a task about the whitelist or the servers it does not understand: ${task}`);
  }
}

interface PortalItemLike {
  kind: string;
  expires?: string;
  entries?: { ip: string; host: string }[];
  servers?: ({ menu: string; name: string } & Partial<ServerFields> & { ip?: string })[];
  tasks?: string[];
}

/** Whether an item is the portal's (the operator does it; no host runs). */
export function isPortalItem(item: { kind: string; where?: string }): boolean {
  return item.where === 'portal' || item.kind.startsWith('portal-') || item.kind === 'change-portal';
}

/** Does one portal item of a runbook; returns what portal-verify found wrong (empty: fine). */
export function applyPortalItem(stateDir: string, item: PortalItemLike): string[] {
  const st = read(stateDir);
  const problems: string[] = [];
  switch (item.kind) {
    case 'portal-whitelist':
      for (const e of item.entries ?? []) st.whitelist.set(e.ip, { host: e.host, expires: item.expires ?? '-' });
      break;
    case 'portal-add-servers':
      for (const s of item.servers ?? []) {
        st.servers.set(`${s.menu}\0${s.name}`, { privateIp: s.privateIp ?? null, publicIp: s.publicIp ?? null, maxCallSessions: s.maxCallSessions ?? null, maxRooms: s.maxRooms ?? null, maxParticipants: s.maxParticipants ?? null });
      }
      break;
    case 'change-portal':
      for (const t of item.tasks ?? []) doTask(st, t);
      break;
    case 'portal-verify':
      // IM servers register themselves (the token); the other menus are what was entered.
      for (const s of item.servers ?? []) {
        if (/IM Servers/.test(s.menu)) continue;
        const f = st.servers.get(`${s.menu}\0${s.name}`);
        if (!f) problems.push(`portal-verify: ${s.menu} lists ${s.name}, which the portal does not have`);
        else if (s.ip && f.privateIp !== s.ip) problems.push(`portal-verify: ${s.menu} ${s.name} is at ${f.privateIp} in the portal, ${s.ip} in the runbook`);
      }
      break;
    default:
      break;
  }
  write(stateDir, st);
  return problems;
}
