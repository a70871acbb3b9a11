import { createHash } from 'node:crypto';

/** A short, stable digest of the inputs a step depends on (for restart markers). */
export function fingerprint(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);
}
