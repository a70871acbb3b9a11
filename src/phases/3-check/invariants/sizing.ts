// C27 and the sizing notes of domain §2: floors per role, checked only where the spec gives
// `hardware` (the generated preflight then holds each host to the numbers in the spec).
// C16: at most 5,000 call sessions per media server. §2.5: Data Flow memory per vCPU.
import type { YamlPath } from '../../../diagnostics/diagnostic.js';
import type { Hardware, Spec } from '../../../model/spec.js';
import type { CheckContext, Rule } from '../context.js';

interface Floor {
  cpus?: number;
  memoryGb?: number;
  diskGb?: number;
  purpose: string; // "… that {source} gives for {purpose}"
  source: string; // the vendor page, in words: a user has no copy of the domain notes
}

/** The pages the floors come from, by title (their keys in the domain notes beside them). */
const GUIDE = {
  haOnPrem: 'the PortSIP guide "High Availability Installations on Ubuntu"', // OP-INST
  haAws: 'the PortSIP guide "High Availability Installations on AWS"', // AWS-INST
  pbx: 'the PortSIP guide "Install PortSIP PBX"', // PBX-INST
  serversOnPrem: 'the PortSIP guide "Scaling Servers On-Premise for High Availability"', // OP-SCALE
  serversAws: 'the PortSIP guide "Scaling Servers on AWS for High Availability"', // AWS-SCALE
  im: 'the PortSIP guide "Scaling IM Server On-Premise for High Availability"', // OP-IM
  hardware: 'the PortSIP FAQ "Hardware Specifications"', // HW
  dataflow: 'the PortSIP guide "Install Data Flow Service"', // DF-INST
  sbc: 'the PortSIP guide "Scaling SBC On-Premise for High Availability"', // OP-SBC
} as const;

/** "1 CPU", "8 GB of memory": a number with its unit, for messages. */
const AMOUNT: Record<keyof Hardware, (n: number) => string> = {
  cpus: (n) => `${n} ${n === 1 ? 'CPU' : 'CPUs'}`,
  memoryGb: (n) => `${n} GB of memory`,
  diskGb: (n) => `${n} GB of disk`,
};

/** IM hardware by online users (HW); the cores follow the majority of the guides (E37). */
const IM_TIERS: { upTo: number; cpus: number; memoryGb: number }[] = [
  { upTo: 5000, cpus: 10, memoryGb: 8 },
  { upTo: 20000, cpus: 16, memoryGb: 10 },
  { upTo: 50000, cpus: 20, memoryGb: 16 },
];

export const MEDIA_MAX_SESSIONS = 5000; // CL-CFG, OP-SCALE [C16]
/** Data Flow on large deployments (≥ 8 vCPU): memory = vCPU × 4 GB (DF-INST). */
const DF_LARGE_CPUS = 8;
const DF_GB_PER_CPU = 4;

function checkFloor(ctx: CheckContext, host: string, hw: Hardware | undefined, path: YamlPath, floor: Floor): void {
  if (!hw) return;
  for (const key of ['cpus', 'memoryGb', 'diskGb'] as const) {
    const min = floor[key];
    const value = hw[key];
    if (min === undefined || value === undefined || value >= min) continue;
    ctx.bag.add('hardware_below_minimum', [...path, key], { host, have: AMOUNT[key](value), need: AMOUNT[key](min), min, purpose: floor.purpose, source: floor.source, key });
  }
}

function serverFloors(spec: Spec, role: string, recording: boolean): Floor[] {
  const aws = spec.platform === 'aws';
  switch (role) {
    case 'media':
      return [recording ? { diskGb: 256, purpose: 'a media server that records calls', source: GUIDE.serversOnPrem } : { diskGb: 128, purpose: 'a media server', source: aws ? GUIDE.serversAws : GUIDE.serversOnPrem }];
    case 'queue':
    case 'meeting':
    case 'ivr':
      return [aws ? { diskGb: 64, purpose: `a ${role === 'ivr' ? 'IVR' : role} server on AWS`, source: GUIDE.serversAws } : { diskGb: 128, purpose: `a ${role === 'ivr' ? 'IVR' : role} server`, source: GUIDE.serversOnPrem }];
    case 'im': {
      const floors: Floor[] = [{ diskGb: 128, purpose: 'the IM server', source: GUIDE.im }];
      const users = spec.capacity?.onlineUsers;
      const tier = users === undefined ? undefined : IM_TIERS.find((t) => users <= t.upTo);
      if (tier && users !== undefined) floors.push({ cpus: tier.cpus, memoryGb: tier.memoryGb, purpose: `an IM server for ${users.toLocaleString('en-US')} online users`, source: GUIDE.hardware });
      return floors;
    }
    case 'dataflow':
      return [{ cpus: 4, memoryGb: 8, diskGb: 128, purpose: 'the Data Flow server', source: GUIDE.dataflow }];
    case 'sbc':
      return [{ diskGb: 128, purpose: 'an SBC', source: GUIDE.sbc }];
    default:
      return [];
  }
}

export const hardwareFloors: Rule = (ctx) => {
  const { spec } = ctx;
  if (spec.pbx.mode === 'ha') {
    const node: Floor = { cpus: 4, memoryGb: 4, purpose: 'a PBX HA node', source: spec.platform === 'aws' ? GUIDE.haAws : GUIDE.haOnPrem };
    checkFloor(ctx, 'every PBX node', spec.pbx.hardware, ['pbx', 'hardware'], node);
    (spec.pbx.nodes ?? []).forEach((n, i) => checkFloor(ctx, `PBX node ${n.hostname}`, n.hardware, ['pbx', 'nodes', i, 'hardware'], node));
  } else if (spec.pbx.host) {
    const single: Floor = { cpus: 2, memoryGb: 4, diskGb: 50, purpose: 'a PBX', source: GUIDE.pbx };
    // The same choice as the planner's preflight: the host's own hardware, else pbx.hardware.
    const [hw, path] = spec.pbx.host.hardware ? [spec.pbx.host.hardware, ['pbx', 'host', 'hardware']] : [spec.pbx.hardware, ['pbx', 'hardware']];
    checkFloor(ctx, `the PBX host ${spec.pbx.host.hostname}`, hw, path, single);
  }
  (spec.servers ?? []).forEach((s, i) => {
    for (const floor of serverFloors(spec, s.role, s.recording === true)) {
      checkFloor(ctx, `the ${s.role} server "${s.name}"`, s.hardware, ['servers', i, 'hardware'], floor);
    }
  });
};

export const dataflowMemoryPerCpu: Rule = ({ spec, bag }) => {
  (spec.servers ?? []).forEach((s, i) => {
    const cpus = s.hardware?.cpus;
    const memory = s.hardware?.memoryGb;
    if (s.role !== 'dataflow' || cpus === undefined || memory === undefined || cpus < DF_LARGE_CPUS) return;
    const want = cpus * DF_GB_PER_CPU;
    if (memory < want) bag.add('dataflow_memory_per_cpu_low', ['servers', i, 'hardware', 'memoryGb'], { name: s.name, memory, cpus, want });
  });
};

export const mediaSessions: Rule = ({ spec, bag }) => {
  (spec.servers ?? []).forEach((s, i) => {
    if (s.role === 'media' && s.maxCallSessions !== undefined && s.maxCallSessions > MEDIA_MAX_SESSIONS) {
      bag.add('media_max_call_sessions_high', ['servers', i, 'maxCallSessions'], { value: s.maxCallSessions.toLocaleString('en-US'), max: MEDIA_MAX_SESSIONS.toLocaleString('en-US'), limit: MEDIA_MAX_SESSIONS });
    }
  });
};
