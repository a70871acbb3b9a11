// What `pbxplan diff` reads and answers: two sides (each a Plan with a way to find spec lines)
// and the versioned result ({ formatVersion, summary, changes[] }).
import type { Plan } from '../model/plan.js';
import type { Waiver } from '../model/spec.js';
import type { Action, Reason } from './reasons.js';

export const DIFF_FORMAT_VERSION = 1;

/** One side of a diff: the Plan, where it came from, and how to find a spec path's line. */
export interface Side {
  /** The file as the user named it (the spec, or the plan.json that stands for it). */
  label: string;
  plan: Plan;
  /** The line a YAML path (`servers[2].privateIp`) starts on in the spec, or null. */
  locate(path: string): number | null;
  /** The spec's waivers (from a plan: those that accepted a warning). */
  waivers: { waiver: Waiver; path: string }[];
}

/** A place in one side's spec: `file:line` and the YAML path. */
export interface Place {
  file: string;
  line: number | null;
  path: string;
}

/** A restart or recreation a change forces on another host. */
export interface Force {
  action: 'restart' | 'recreate';
  host: string;
  what: string; // e.g. "resource load balancer", "media-server-only"
}

export interface Change {
  action: Action;
  reason: Reason;
  hosts: string[]; // host names; the portal's own changes name the hosts whose entries change
  /** What changed, in words; secrets only as references. */
  detail: string;
  old: Place | null;
  new: Place | null;
  forces: Force[];
  /** upgrade: the version before and after. */
  versions: { from: string; to: string } | null;
  /** The vendor documents no procedure: the change bundle gives manual steps only. */
  manual: boolean;
}

export interface WaiverChange {
  change: 'added' | 'removed' | 'changed';
  reason: Reason;
  code: string;
  path: string | null;
  detail: string;
  old: Place | null;
  new: Place | null;
}

/** A change pbxplan refuses (downgrade, major jump, a protected host destroyed). */
export interface DiffError {
  reason: Reason;
  hosts: string[];
  message: string;
  old: Place | null;
  new: Place | null;
}

export interface DiffSummary {
  changes: number;
  byAction: Record<Action, number>;
  /** Hosts recreated or removed, counted on their own (forced recreations included). */
  recreatedHosts: number;
  removedHosts: number;
  /** Host operations that interrupt service: recreate, remove, upgrade, restart (forced ones included). */
  downtimeSteps: number;
  waivers: number;
  errors: number;
}

export interface DiffResult {
  formatVersion: number;
  old: { file: string; specSha256: string };
  new: { file: string; specSha256: string };
  summary: DiffSummary;
  changes: Change[];
  waivers: WaiverChange[];
  errors: DiffError[];
}
