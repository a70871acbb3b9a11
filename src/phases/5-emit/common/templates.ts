// The compiled templates every target looks up by name, and how they are compiled: Handlebars
// with strict lookups and a closed helper set. Markup (`*.html.hbs`, `*.svg.hbs`) is compiled with
// Handlebars' HTML escaping on, so every `{{value}}` is escaped where it is printed and that one
// escaper is the only one; everything else (bash, Markdown, Mermaid) with escaping off, quoted by
// its own helper (shq, md, mmd). The assets module feeds the sources in; nothing here reads the disk.
import Handlebars from 'handlebars';
import { comment, eq, md, mmd, shq } from './helpers.js';

/** Templates by name: the path under templates/ without ".hbs" (e.g. "host/install.sh"). */
export type Templates = Readonly<Record<string, Handlebars.TemplateDelegate>>;

export interface TemplateSource {
  name: string; // path under templates/, forward slashes, with ".hbs"
  text: string;
}

const HELPERS = { shq, comment, md, mmd, eq };

const COMPILE_OPTIONS = {
  strict: true,
  knownHelpersOnly: true,
  knownHelpers: { shq: true, comment: true, md: true, mmd: true, eq: true },
} as const;

/** Markup templates and partials: their output is HTML, so their values are HTML-escaped. */
export function isMarkup(name: string): boolean {
  return /\.(html|svg)(\.hbs)?$/.test(name);
}

/** Compiles every source; those under partials/ become partials named by their path below it. */
export function compileTemplates(sources: TemplateSource[]): Templates {
  const hb = Handlebars.create();
  hb.registerHelper(HELPERS);
  const out: Record<string, Handlebars.TemplateDelegate> = {};
  for (const s of [...sources].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const name = s.name.replace(/\.hbs$/, '');
    const fn = hb.compile(s.text, { ...COMPILE_OPTIONS, noEscape: !isMarkup(name) });
    if (name.startsWith('partials/')) hb.registerPartial(name.slice('partials/'.length), fn);
    else out[name] = fn;
  }
  return out;
}

/** The template a target needs; a missing one is a bug in the assets, not in the spec. */
export function template(templates: Templates, name: string): Handlebars.TemplateDelegate {
  const t = templates[name];
  if (!t) throw new Error(`template ${name} is not among the assets`);
  return t;
}
