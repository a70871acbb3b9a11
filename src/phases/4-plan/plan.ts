// Phase 4: Spec → Plan. Every decision lives in this folder: defaults, order, which address
// goes into which flag, which guide wins where the guides disagree (recorded in `decisions`).
import { DEFAULT_PATHS } from '../../model/hosts.js';
import { PLAN_FORMAT_VERSION, type Plan } from '../../model/plan.js';
import { imageVersion } from '../../model/release.js';
import { DEFAULT_IMAGES } from '../../model/roles.js';
import type { Spec } from '../../model/spec.js';

export type PlanBase = Omit<Plan, 'hosts' | 'procedure' | 'decisions' | 'cluster' | 'airgap'> & { cluster: Omit<Plan['cluster'], 'topology' | 'pbxAddress' | 'portalUrl'> };

export function planBase(spec: Spec, specSha256: string, generatedBy: string): PlanBase {
  const servers = spec.servers ?? [];
  const has = (role: string) => servers.some((s) => s.role === role);
  const base: PlanBase = {
    formatVersion: PLAN_FORMAT_VERSION,
    generatedBy,
    specSha256,
    cluster: { name: spec.metadata.name, description: spec.metadata.description ?? '', platform: spec.platform },
    release: {
      pbxImage: spec.release.pbxImage,
      pbxVersion: imageVersion(spec.release.pbxImage).version ?? '',
      clickhouseImage: has('dataflow') ? (spec.release.clickhouseImage ?? DEFAULT_IMAGES.clickhouse) : null,
      postgresImage: spec.release.postgresImage ?? null,
      sbcImage: has('sbc') ? (spec.release.sbcImage ?? DEFAULT_IMAGES.sbc) : null,
    },
    paths: {
      data: spec.paths?.data ?? DEFAULT_PATHS.data,
      scripts: spec.paths?.scripts ?? DEFAULT_PATHS.scripts,
      haGuide: spec.paths?.haGuide ?? DEFAULT_PATHS.haGuide,
    },
    whitelistExpires: spec.whitelist?.expires ?? null,
  };
  return base;
}
