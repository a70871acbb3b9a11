import type { DiagnosticBag } from '../../diagnostics/diagnostic.js';
import type { SpecHost } from '../../model/hosts.js';
import type { Spec } from '../../model/spec.js';

export interface CheckContext {
  spec: Spec;
  hosts: SpecHost[]; // from specHosts(spec)
  bag: DiagnosticBag;
  /** YYYY-MM-DD, passed in by the caller so that checking stays pure. */
  today: string;
}

/** One invariant (or a small family of them); pushes diagnostics, never throws for bad input. */
export type Rule = (ctx: CheckContext) => void;
