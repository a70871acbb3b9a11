// How a secret reference reads in a target: where it comes from, and the placeholder shown in its
// place. The value itself is never known at compile time.
import type { SecretRef } from '../../../model/spec.js';

export interface SecretView {
  kind: 'env' | 'file';
  ref: string;
  label: string;
  refText: string;
  placeholder: string;
}

export function secretView(ref: SecretRef, label: string): SecretView {
  const kind = ref.env !== undefined ? 'env' : 'file';
  const value = ref.env ?? ref.file!;
  const refText = kind === 'env' ? `environment variable ${value}` : `file ${value}`;
  return { kind, ref: value, label, refText, placeholder: `<${label} from ${refText}>` };
}
