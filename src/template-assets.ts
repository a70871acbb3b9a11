// The templates side of the assets: every template, precompiled at build time
// (src/generated/templates.ts), made runnable with the Handlebars runtime.
import { TEMPLATES } from './generated/templates.js';
import { loadTemplates, type Templates } from './phases/5-emit/common/templates.js';

export function builtTemplates(): Templates {
  return loadTemplates(TEMPLATES);
}
