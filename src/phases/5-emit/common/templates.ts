// The compiled templates every target looks up by name, and how they are compiled: Handlebars
// with no HTML escaping (bash and Markdown quote with their own helpers), strict lookups and a
// closed helper set. The build precompiles every template with these options (scripts/
// generate-assets.ts); at run time only the Handlebars runtime is loaded. Nothing here reads disk.
import type HandlebarsApi from 'handlebars';
import HandlebarsRuntime from 'handlebars/runtime.js';
import { comment, eq, md, shq } from './helpers.js';

// The runtime's own typings are empty; it is the same API as the full package, less the compiler.
const Handlebars = HandlebarsRuntime as unknown as typeof HandlebarsApi;

/** Templates by name: the path under templates/ without ".hbs" (e.g. "host/install.sh"). */
export type Templates = Readonly<Record<string, HandlebarsApi.TemplateDelegate>>;

/** What the build produces for one template: its name and Handlebars' precompiled spec. */
export type PrecompiledTemplates = Readonly<Record<string, TemplateSpecification>>;

export const COMPILE_OPTIONS = {
  noEscape: true,
  strict: true,
  knownHelpersOnly: true,
  knownHelpers: { shq: true, comment: true, md: true, eq: true },
} as const;

const HELPERS = { shq, comment, md, eq };

/** The runtime templates from their precompiled specs; names under partials/ become partials
 * named by their path below it. */
export function loadTemplates(specs: PrecompiledTemplates): Templates {
  const hb = Handlebars.create();
  hb.registerHelper(HELPERS);
  const out: Record<string, HandlebarsApi.TemplateDelegate> = {};
  for (const name of Object.keys(specs).sort()) {
    const fn = hb.template(specs[name]!);
    if (name.startsWith('partials/')) hb.registerPartial(name.slice('partials/'.length), fn);
    else out[name] = fn;
  }
  return out;
}

/** The template a target needs; a missing one is a bug in the assets, not in the spec. */
export function template(templates: Templates, name: string): HandlebarsApi.TemplateDelegate {
  const t = templates[name];
  if (!t) throw new Error(`template ${name} is not among the assets`);
  return t;
}
