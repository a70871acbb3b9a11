// Pieces both topology planners use.
import type { PlanHost, Preflight } from '../../model/plan.js';
import type { Hardware } from '../../model/spec.js';

export const scriptPath = (hostname: string) => `hosts/${hostname}/install.sh`;

/** Preflight with nothing but addresses and sizing; topology planners fill in the rest. */
export function preflight(addresses: (string | undefined)[], hw: Hardware | undefined, extra: Partial<Preflight> = {}): Preflight {
  return {
    addresses: addresses.filter((a): a is string => !!a),
    cpus: hw?.cpus ?? null,
    memoryGb: hw?.memoryGb ?? null,
    diskGb: hw?.diskGb ?? null,
    vendorScripts: [],
    secrets: [],
    haScripts: [],
    account: null,
    dataDisk: null,
    awsRegion: null,
    sshKeyFile: null,
    ...extra,
  };
}

/** Fields of a host whose commands all run locally (no HA control node involved). */
export const LOCAL_HOST: Pick<PlanHost, 'haAccount' | 'deployedFrom' | 'files'> = { haAccount: null, deployedFrom: null, files: [] };
