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
  // Handlebars' own `each` (an object, an iterable, a hash), with the loop over an array the
  // generated code calls instead (a new function: the builtin itself stays as it is).
  const builtinEach = wrapped['each']!;
  const each = Object.assign(function (this: unknown, ...args: unknown[]) {
    return builtinEach.apply(this, args);
  }, { [EACH_ARRAY]: eachArray });
  const helpers: Record<string, HelperFn> = { ...wrapped, ...HELPERS, each };
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

/** Where the build's code generator finds `eachArray` (precompile.ts): a property of the `each`
 * helper, so that templates run by Handlebars' own set-up, which has no such property, take the
 * helper's usual path. */
export const EACH_ARRAY = 'pbxplanEachArray';

/** A compiled block (`container.fn(i)`): what Handlebars' program wrapper calls. */
type BlockProgram = (container: unknown, context: unknown, helpers: unknown, partials: unknown, data: unknown, blockParams?: unknown, depths?: unknown[]) => string;
interface RunContainer {
  helpers: unknown;
  partials: unknown;
  nullContext: unknown;
}

/** `{{#each list}}…{{else}}…{{/each}}` over an array, called by the generated code (precompile.ts)
 * with the block's programs themselves: what Handlebars' helper and its program wrapper do, the
 * same frame (@index, @key, @first, @last, @root, the parent frame), the same parent contexts
 * for `../` (`depths`: given when the template uses them), holes skipped but counted, `else` only
 * for an empty array; without the options object and program wrapper of each run, nor the
 * options object and block-parameter arrays of each item. */
function eachArray(this: unknown, list: unknown[], fn: BlockProgram, inverse: BlockProgram | null, container: RunContainer, data: unknown, depths?: unknown[]): string {
  const n = list.length;
  if (n === 0) return inverse === null ? '' : inverse(container, this, container.helpers, container.partials, data, undefined, deeper(container, this, depths));
  const frame = data ? (Handlebars.createFrame(data) as { key: number; index: number; first: boolean; last: boolean }) : undefined;
  let out = '';
  for (let i = 0; i < n; i++) {
    if (!(i in list)) continue;
    if (frame) {
      frame.key = i;
      frame.index = i;
      frame.first = i === 0;
      frame.last = i === n - 1;
    }
    const item = list[i];
    out += fn(container, item, container.helpers, container.partials, frame, undefined, deeper(container, item, depths));
  }
  return out;
}

/** The parent contexts a block run on `context` sees, as Handlebars' program wrapper makes them. */
function deeper(container: RunContainer, context: unknown, depths: unknown[] | undefined): unknown[] | undefined {
  if (depths && context != depths[0] && !(context === container.nullContext && depths[0] === null)) return [context].concat(depths);
  return depths;
}

/** The template a target needs; a missing one is a bug in the assets, not in the spec. */
export function template(templates: Templates, name: string): HandlebarsApi.TemplateDelegate {
  const t = templates[name];
  if (!t) throw new Error(`template ${name} is not among the assets`);
  return t;
}
