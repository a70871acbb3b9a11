// Toolchains for callers that care about start-up (the CLI): one that only checks a spec, without
// loading a template, and the whole one, its templates loaded as a separate module when needed.
import type { Toolchain } from './assets.js';
import { VERSION } from './generated/version.js';
import { specValidator } from './spec-assets.js';

/** The toolchain of `compile(…, { checkOnly: true })`: the validator; no templates (using them is a bug). */
export function checkToolchain(): Toolchain {
  return {
    validator: specValidator,
    get templates(): never {
      throw new Error('a check-only toolchain has no templates: use loadToolchain() to render');
    },
    version: VERSION,
  };
}

/** The whole toolchain, the templates loaded on first use. */
export async function loadToolchain(): Promise<Toolchain> {
  const { builtTemplates } = await import('./template-assets.js');
  return { validator: specValidator, templates: builtTemplates(), version: VERSION };
}
