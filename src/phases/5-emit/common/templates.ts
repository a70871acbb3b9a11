// The compiled templates every target looks up by name, and how they are compiled: Handlebars
// with strict lookups and a closed helper set. Markup (`*.html.hbs`, `*.svg.hbs`) is compiled with
// Handlebars' HTML escaping on, so every `{{value}}` is escaped where it is printed and that one
// escaper is the only one (`visible` only drops invisible characters from free text first);
// everything else (bash, Markdown, Mermaid, YAML) with escaping off, quoted by its own helper (shq,
// md, mmd, yq). The build precompiles every template with `compileOptions` (precompile.ts, from scripts/generate-assets.ts);
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

/** The helpers every template may call (the set COMPILE_OPTIONS declares). */
export const HELPERS = { shq, shqWords, comment, md, mmd, visible, eq, yq, regionBegin, regionEnd, verbatim };

/** Markup templates and partials: their output is HTML, so their values are HTML-escaped. */
export function isMarkup(name: string): boolean {
  return /\.(html|svg)(\.hbs)?$/.test(name);
}

/** How the template named `name` (path under templates/, with or without ".hbs") is compiled. */
export function compileOptions(name: string) {
  return { ...COMPILE_OPTIONS, noEscape: !isMarkup(name) };
}

/** The runtime templates from their precompiled specs; names under partials/ become partials
 * named by their path below it (and stay templates too: a target may render one alone).
 *
 * Each top-level call runs as Handlebars runs a partial: with the helpers, partials and access
 * rules set up once here, not merged and wrapped again on every call (a 1,000-server bundle
 * renders thousands of templates, each with a hundred helper calls). Handlebars wraps every
 * helper so that it can read `options.lookupProperty`; the builtins keep that wrapping (the
 * `lookup` helper needs it), ours, which never read it, are called directly. */
export function loadTemplates(specs: PrecompiledTemplates): Templates {
  const hb = Handlebars.create();
  hb.registerHelper(HELPERS);
  const raw: Record<string, HandlebarsApi.TemplateDelegate> = {};
  for (const name of Object.keys(specs).sort()) {
    const fn = hb.template(specs[name]!);
    if (name.startsWith('partials/')) hb.registerPartial(name.slice('partials/'.length), fn);
    raw[name] = fn;
  }
  const setup = runtimeSetup(hb);
  const out: Record<string, HandlebarsApi.TemplateDelegate> = {};
  for (const [name, fn] of Object.entries(raw)) {
    // A caller's own runtime options take the usual path; `@root` is the context, as Handlebars sets it.
    out[name] = (context: unknown, options?: HandlebarsApi.RuntimeOptions) => fn(context, options ?? ({ ...setup, data: { root: context } } as HandlebarsApi.RuntimeOptions));
  }
  return out;
}

/** What Handlebars sets up for a top-level call (its helpers wrapped, its hooks, its rules for
 * prototype access), taken from one call of a template that keeps its container, and handed to
 * every later call the way Handlebars hands them to a partial (`partial: true`). */
function runtimeSetup(hb: typeof Handlebars) {
  let container: { helpers: Record<string, HelperFn>; lookupProperty: unknown; hooks: unknown; decorators: unknown; protoAccessControl: unknown } | undefined;
  const probe = hb.template({
    compiler: [8, '>= 4.3.0'],
    usePartial: true,
    main: (c: typeof container) => {
      container = c;
      return '';
    },
  } as unknown as TemplateSpecification);
  probe({});
  if (!container) throw new Error('Handlebars runtime: the set-up probe did not run');
  const wrapped = container.helpers;
  const own = hb.helpers as Record<string, HelperFn>;
  const helpers: Record<string, HelperFn> = { ...wrapped, ...HELPERS, each: arrayEach(wrapped['each']!) };
  for (const name of ONE_ARGUMENT_BUILTINS) helpers[name] = oneArgument(own[name]!, wrapped[name]!, container.lookupProperty);
  return { partial: true, helpers, partials: hb.partials, decorators: container.decorators, hooks: container.hooks, protoAccessControl: container.protoAccessControl };
}

type HelperFn = (this: unknown, ...args: unknown[]) => unknown;

/** Handlebars' block helpers of one argument, the most called of all. */
const ONE_ARGUMENT_BUILTINS = ['if', 'unless', 'with'] as const;

/** A builtin of one argument called as Handlebars' wrapper calls it (`options.lookupProperty`
 * set), without the `arguments` object the wrapper builds on every call. Any other number of
 * arguments (a template bug) goes to the wrapper, to fail as it does. */
function oneArgument(builtin: HelperFn, wrapped: HelperFn, lookupProperty: unknown): HelperFn {
  return function (this: unknown, value?: unknown, options?: unknown, extra?: unknown) {
    if (extra !== undefined) return wrapped.call(this, value, options, extra);
    if (options === undefined) return wrapped.call(this, value);
    (options as { lookupProperty: unknown }).lookupProperty = lookupProperty;
    return builtin.call(this, value, options);
  };
}

interface BlockOptions {
  fn: ((context: unknown, options: { data: unknown; blockParams: unknown }) => string) & { blockParams?: number };
  inverse: (context: unknown) => string;
  data?: unknown;
  ids?: unknown;
}

/** `#each` over an array as Handlebars' own does it (@index, @key, @first, @last, block params,
 * `else` when empty), with one options object for every item rather than one each; anything
 * else (an object, a tracked id) goes to Handlebars' own. */
function arrayEach(builtin: HelperFn): HelperFn {
  return function (this: unknown, ...args: unknown[]) {
    const [context, options] = args as [unknown, BlockOptions];
    if (args.length !== 2 || !Array.isArray(context) || options.ids) return builtin.apply(this, args);
    const n = context.length;
    if (n === 0) return options.inverse(this);
    const fn = options.fn;
    const data = options.data ? (Handlebars.createFrame(options.data) as { key: number; index: number; first: boolean; last: boolean }) : undefined;
    const itemOptions = { data, blockParams: undefined as unknown };
    let out = '';
    for (let i = 0; i < n; i++) {
      if (!(i in context)) continue;
      if (data) {
        data.key = i;
        data.index = i;
        data.first = i === 0;
        data.last = i === n - 1;
      }
      if (fn.blockParams) itemOptions.blockParams = [context[i], i];
      out += fn(context[i], itemOptions);
    }
    return out;
  };
}

/** The template a target needs; a missing one is a bug in the assets, not in the spec. */
export function template(templates: Templates, name: string): HandlebarsApi.TemplateDelegate {
  const t = templates[name];
  if (!t) throw new Error(`template ${name} is not among the assets`);
  return t;
}
