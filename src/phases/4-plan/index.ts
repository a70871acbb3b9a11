// Phase 4: Spec → Plan, as named passes run in one direction (see docs/architecture.md).
import type { DiagnosticBag } from '../../diagnostics/diagnostic.js';
import type { ArtifactCopy } from '../../model/bundle.js';
import type { Plan } from '../../model/plan.js';
import type { Spec } from '../../model/spec.js';
import { withDescriptions } from './describe.js';
import { artifactCopies, reportArtifacts, withOfflineSteps } from './offline.js';
import { planBase } from './plan.js';
import { planHa } from './ha.js';
import { planSingle } from './single.js';

/** The directory given to --artifacts, as the caller reads it: the planner asks it between passes
 * for the names it holds and for the digests of the files the plan can use. */
export interface ArtifactSource {
  label: string; // as the user named it, for messages
  /** Missing artifacts are warnings instead of errors. */
  allowMissing: boolean;
  /** Every file under the directory: relative paths, forward slashes, sorted. */
  list(): string[];
  /** Size and sha256 of one listed file. */
  digest(path: string): { size: number; sha256: string };
}

export interface PlanInput {
  spec: Spec;
  specSha256: string;
  generatedBy: string;
  artifacts: ArtifactSource | null;
  bag: DiagnosticBag;
}

export interface Planned {
  plan: Plan;
  /** Artifact files the caller copies into the bundle, sorted by path. */
  copies: ArtifactCopy[];
}

export function plan({ spec, specSha256, generatedBy, artifacts, bag }: PlanInput): Planned {
  const base = planBase(spec, specSha256, generatedBy);
  const topology = spec.pbx.mode === 'ha' ? planHa(spec, base) : planSingle(spec, base);
  const offline = withOfflineSteps(topology, spec, artifacts);
  const final = withDescriptions(offline.plan);
  reportArtifacts(final, offline.supplied, bag);
  return { plan: final, copies: artifactCopies(final, offline.supplied) };
}
