// Phase 4: Spec → Plan, as named passes run in one direction; each pass has its own output type
// and none patches an earlier one's output:
//   base      → BasePlan      release (final image references), paths, servers in order, origins
//   topology  → TopologyPass  hosts and their own steps (single.ts or ha.ts), with calls and origin
//   airgap    → AirgapPass    artifacts (the caller's directory asked here), steps per host
//   finish    → Plan          final step order, preflight, descriptions, the runbook procedure
import type { DiagnosticBag, Locator } from '../../diagnostics/diagnostic.js';
import type { ArtifactCopy } from '../../model/bundle.js';
import type { Plan } from '../../model/plan.js';
import type { Spec } from '../../model/spec.js';
import { planAirgap, type ArtifactSource } from './airgap.js';
import { planBase } from './base.js';
import { finish } from './finish.js';
import { planHa } from './topology/ha.js';
import { planSingle } from './topology/single.js';

export type { ArtifactSource } from './airgap.js';

export interface PlanInput {
  spec: Spec;
  specSha256: string;
  /** The spec's file name for origins (a base name). */
  specName: string;
  generatedBy: string;
  /** Where each YAML path of the spec is (from the load phase), for step origins. */
  locate: Locator;
  artifacts: ArtifactSource | null;
  bag: DiagnosticBag;
}

export interface Planned {
  plan: Plan;
  /** Artifact files the caller copies into the bundle, sorted by path. */
  copies: ArtifactCopy[];
}

export function plan({ spec, specSha256, specName, generatedBy, locate, artifacts, bag }: PlanInput): Planned {
  const base = planBase(spec, specSha256, specName, generatedBy, locate);
  const topology = spec.pbx.mode === 'ha' ? planHa(spec, base) : planSingle(spec, base);
  const air = planAirgap(base, topology, artifacts, bag, spec.release.scripts ?? null);
  return { plan: finish(spec, base, topology, air), copies: air.copies };
}
