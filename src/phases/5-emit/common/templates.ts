// The compiled templates every target looks up by name, and how they are compiled: Handlebars
// with no HTML escaping (bash and Markdown quote with their own helpers), strict lookups and a
// closed helper set. The assets module feeds the sources in; nothing here reads the disk.
import Handlebars from 'handlebars';
import { comment, eq, md, shq } from './helpers.js';

/** Templates by name: the path under templates/ without ".hbs" (e.g. "host/install.sh"). */
export type Templates = Readonly<Record<string, Handlebars.TemplateDelegate>>;

export interface TemplateSource {
  name: string; // path under templates/, forward slashes, with ".hbs"
  text: string;
}

const COMPILE_OPTIONS = {
  noEscape: true,
  strict: true,
  knownHelpersOnly: true,
  knownHelpers: { shq: true, comment: true, md: true, eq: true },
} as const;

/** Compiles every source; those under partials/ become partials named by their path below it. */
export function compileTemplates(sources: TemplateSource[]): Templates {
  const hb = Handlebars.create();
  hb.registerHelper({ shq, comment, md, eq });
  const out: Record<string, Handlebars.TemplateDelegate> = {};
  for (const s of [...sources].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const name = s.name.replace(/\.hbs$/, '');
    const fn = hb.compile(s.text, COMPILE_OPTIONS);
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
