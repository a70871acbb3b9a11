// The compiled templates every target looks up by name, and how they are compiled: Handlebars
// with strict lookups and a closed helper set. Markup (`*.html.hbs`, `*.svg.hbs`) is compiled with
// Handlebars' HTML escaping on, so every `{{value}}` is escaped where it is printed and that one
// escaper is the only one (`visible` only drops invisible characters from free text first);
// everything else (bash, Markdown, Mermaid, YAML) with escaping off, quoted by its own helper (shq,
// md, mmd, yq). The build precompiles every template with `compileOptions` (scripts/generate-assets.ts);
// at run time only the Handlebars runtime is loaded. Nothing here reads disk.
import type HandlebarsApi from 'handlebars';
import HandlebarsRuntime from 'handlebars/runtime.js';
import { comment, eq, md, mmd, shq, shqWords, visible, yq } from './helpers.js';
import { regionBegin, regionEnd, verbatim } from './regions.js';

// The runtime's own typings are empty; it is the same API as the full package, less the compiler.
const Handlebars = HandlebarsRuntime as unknown as typeof HandlebarsApi;

/** Templates by name: the path under templates/ without ".hbs" (e.g. "host/install.sh"). */
export type Templates = Readonly<Record<string, HandlebarsApi.TemplateDelegate>>;

/** What the build produces for one template: its name and Handlebars' precompiled spec. */
export type PrecompiledTemplates = Readonly<Record<string, TemplateSpecification>>;

const COMPILE_OPTIONS = {
  strict: true,
  knownHelpersOnly: true,
  knownHelpers: { shq: true, shqWords: true, comment: true, md: true, mmd: true, visible: true, eq: true, yq: true, regionBegin: true, regionEnd: true, verbatim: true },
} as const;

const HELPERS = { shq, shqWords, comment, md, mmd, visible, eq, yq, regionBegin, regionEnd, verbatim };

/** Markup templates and partials: their output is HTML, so their values are HTML-escaped. */
export function isMarkup(name: string): boolean {
  return /\.(html|svg)(\.hbs)?$/.test(name);
}

/** How the template named `name` (path under templates/, with or without ".hbs") is compiled. */
export function compileOptions(name: string) {
  return { ...COMPILE_OPTIONS, noEscape: !isMarkup(name) };
}

/** The runtime templates from their precompiled specs; names under partials/ become partials
 * named by their path below it (and stay templates too: a target may render one alone). */
export function loadTemplates(specs: PrecompiledTemplates): Templates {
  const hb = Handlebars.create();
  hb.registerHelper(HELPERS);
  const out: Record<string, HandlebarsApi.TemplateDelegate> = {};
  for (const name of Object.keys(specs).sort()) {
    const fn = hb.template(specs[name]!);
    if (name.startsWith('partials/')) hb.registerPartial(name.slice('partials/'.length), fn);
    out[name] = fn;
  }
  return out;
}

/** The template a target needs; a missing one is a bug in the assets, not in the spec. */
export function template(templates: Templates, name: string): HandlebarsApi.TemplateDelegate {
  const t = templates[name];
  if (!t) throw new Error(`template ${name} is not among the assets`);
  return t;
}
