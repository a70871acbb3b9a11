// Phase 4: Spec → Plan. Every decision lives in this folder: defaults, order, which address
// goes into which flag, which guide wins where the guides disagree (recorded in `decisions`).
import { DEFAULT_PATHS } from '../../model/hosts.js';
import { PLAN_FORMAT_VERSION, type Plan } from '../../model/plan.js';
import { imageVersion } from '../../model/release.js';
import { DEFAULT_IMAGES } from '../../model/roles.js';
import type { Spec } from '../../model/spec.js';
import { withDescriptions } from './describe.js';
import { planHa } from './ha.js';
import { withOfflineSteps, type SuppliedArtifacts } from './offline.js';
import { planSingle } from './single.js';

export interface PlanInput {
  spec: Spec;
  specSha256: string;
  generatedBy: string;
  /** What the --artifacts directory holds (null or absent: compiled without it). */
  artifacts?: SuppliedArtifacts | null;
}

export type PlanBase = Omit<Plan, 'hosts' | 'procedure' | 'decisions' | 'cluster'> & { cluster: Omit<Plan['cluster'], 'topology' | 'pbxAddress' | 'portalUrl'> };

export function plan({ spec, specSha256, generatedBy, artifacts = null }: PlanInput): Plan {
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
  return withDescriptions(withOfflineSteps(spec.pbx.mode === 'ha' ? planHa(spec, base) : planSingle(spec, base), spec, artifacts));
}
