// The runtime set-up of loadTemplates (each call run as Handlebars runs a partial, our helpers
// unwrapped, #each over arrays by its own loop) renders what Handlebars' usual path renders, and
// the build's code generator (precompile.ts: properties read, #if, #unless, #each and partials
// run in place) renders what Handlebars' own compiler renders.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Handlebars from 'handlebars';
import { precompileTemplate } from './precompile.js';
import { compileOptions, HELPERS, loadTemplates, type PrecompiledTemplates } from './templates.js';

// Precompiled as the build does (scripts/generate-assets.ts), or by another compiler, evaluated as
// the generated module is.
function precompiled(sources: Record<string, string>, compile: (name: string, source: string) => string = precompileTemplate): PrecompiledTemplates {
  const specs: Record<string, unknown> = {};
  for (const [name, source] of Object.entries(sources)) {
    specs[name] = new Function(`return ${compile(name, source)};`)();
  }
  return specs as PrecompiledTemplates;
}

const SOURCES = {
  'host/t': [
    '{{#each items}}[{{@index}} {{@key}} {{#if @first}}first {{/if}}{{#if @last}}last {{/if}}{{name}} of {{../title}} {{@root.title}}]{{else}}none{{/each}}',
    '{{#each byName}}<{{@key}}={{this}}{{#if @last}}!{{/if}}>{{/each}}',
    '{{#each nested}}({{#each this}}{{@index}}:{{this}}{{/each}}){{/each}}',
    '{{#unless items.length}}empty{{/unless}}{{#with inner}}{{value}}{{/with}}',
    '{{> (lookup . "partial")}} {{shq title}} {{shqWords words}}',
    '',
  ].join('\n'),
  'partials/p/one': 'one:{{title}}',
  'partials/p/two': 'two:{{#each items}}{{name}}{{/each}}',
} as const;

const CONTEXTS = [
  { title: "it's", items: [{ name: 'a' }, { name: 'b' }, { name: 'c' }], byName: { x: 1, y: 2 }, nested: [[1, 2], [], [3]], inner: { value: 'v' }, partial: 'p/one', words: ['a b', 'c'] },
  { title: 't', items: [], byName: {}, nested: [], inner: { value: '' }, partial: 'p/two', words: [] },
  // A sparse array: Handlebars skips the holes but counts them in @index.
  { title: 's', items: [{ name: 'a' }, , { name: 'c' }], byName: { only: 0 }, nested: [[0]], inner: { value: 0 }, partial: 'p/two', words: ['$x'] },
];

test('templates render as with Handlebars’ own set-up, call after call', () => {
  const specs = precompiled(SOURCES);
  const fast = loadTemplates(specs);
  // The usual path: a fresh environment, the same helpers and partials, each call set up anew.
  const usual = Handlebars.create();
  for (const name of Object.keys(specs)) {
    if (name.startsWith('partials/')) usual.registerPartial(name.slice('partials/'.length), usual.template(specs[name]!));
  }
  usual.registerHelper(HELPERS);
  const plain = usual.template(specs['host/t']!);
  for (const context of [...CONTEXTS, ...CONTEXTS]) assert.equal(fast['host/t']!(context), plain(context));
  // Rendered alone, a partial is a template like any other.
  assert.equal(fast['partials/p/one']!({ title: 'x' }), 'one:x');
});

test('a strict lookup of a missing field still fails loudly', () => {
  const fast = loadTemplates(precompiled({ 'host/m': '{{missing.field}}' }));
  assert.throws(() => fast['host/m']!({}), /"field" not defined in undefined - 1:2/);
});

test('a builtin given the wrong number of arguments fails as Handlebars’ own does', () => {
  const fast = loadTemplates(precompiled({ 'host/two': '{{#if a b}}x{{/if}}', 'host/none': '{{#unless}}x{{/unless}}' }));
  assert.throws(() => fast['host/two']!({ a: 1, b: 2 }), /#if requires exactly one argument/);
  assert.throws(() => fast['host/none']!({}), /#unless requires exactly one argument/);
});

test('a helper call is compiled without its template position; a strict lookup keeps its own', () => {
  assert.doesNotMatch(precompileTemplate('host/x', '{{shq a.b}}'), /"loc"/);
  assert.match(precompileTemplate('host/x', '{{a.b}}'), /container\.strict\(held, "b", \{"start":\{"line":1,"column":2\}/);
  // Handlebars' own compiler puts it there: what the build leaves out.
  assert.match(Handlebars.precompile('{{shq a.b}}', { knownHelpers: { shq: true } }) as unknown as string, /"loc"/);
});

test('properties read in place give what Handlebars’ own lookups give, value or error', () => {
  // Each path over each context, through the build's compiler and through Handlebars' own (same
  // options, same runtime): the same output, or an error with the same message.
  const paths = ['{{a}}', '{{a.b}}', '{{a.b.c}}', '{{a.length}}', '{{shq a.b}}', '{{#if a.b}}y{{else}}n{{/if}}', '{{#each a}}{{this}}{{/each}}', '{{a.constructor}}', '{{a.toString}}', '{{a.__proto__}}'];
  const inherited = Object.create({ b: 'inherited' }) as object;
  const getter = Object.defineProperty({}, 'b', { get: () => 'got', enumerable: true });
  const contexts: unknown[] = [
    { a: { b: 'own', c: 1 } },
    { a: inherited },
    { a: getter },
    { a: { b: { c: 'deep' } } },
    { a: { b: null } },
    { a: { b: undefined } },
    { a: null },
    { a: 0 },
    { a: '' },
    { a: 'text' },
    { a: ['x', 'y'] },
    { a: { b: 0 } },
    { a: { b: false } },
    {},
    Object.create({ a: { b: 'from a prototype' } }),
    // A prototype object: its own `constructor` is what Handlebars' access rules must screen.
    { a: class Shape {}.prototype },
    { a: { constructor: 'own text', toString: 'own too' } },
  ];
  assertSameAsStock(paths, contexts);
});

/** Each source over each context, through the build's compiler and through Handlebars' own (same
 * options, same runtime, the same partials, named by their path under partials/): the same output,
 * or an error with the same message. */
function assertSameAsStock(sources: readonly string[], contexts: readonly unknown[], partials: Record<string, string> = {}): void {
  const outcome = (run: () => string) => {
    try {
      return run();
    } catch (e) {
      return `error: ${(e as Error).message}`;
    }
  };
  const stockCompile = (n: string, src: string) => Handlebars.precompile(src, compileOptions(n)) as unknown as string;
  const partialSources = Object.fromEntries(Object.entries(partials).map(([n, src]) => [`partials/${n}`, src]));
  for (const [i, source] of sources.entries()) {
    const name = `host/p${i}`;
    const ours = loadTemplates(precompiled({ ...partialSources, [name]: source }))[name]!;
    const stock = Handlebars.create();
    stock.registerHelper(HELPERS);
    const specs = precompiled({ ...partialSources, [name]: source }, stockCompile);
    for (const n of Object.keys(partials)) stock.registerPartial(n, stock.template(specs[`partials/${n}`]!));
    const theirs = stock.template(specs[name]!);
    for (const context of contexts) assert.equal(outcome(() => ours(context)), outcome(() => theirs(context)), `${source} over ${JSON.stringify(context)}`);
  }
}

test('#if and #unless run in place give what Handlebars’ helpers give', () => {
  const sources = [
    '{{#if a}}y{{/if}}',
    '{{#if a}}y:{{a}}{{else}}n{{/if}}',
    '{{#unless a}}n{{else}}y{{/unless}}',
    '{{#if a}}A{{else if b}}B{{else}}C{{/if}}',
    '{{#if a includeZero=true}}y{{else}}n{{/if}}',
    // The block sees the same data, @root and parent contexts as Handlebars' wrapper gives it.
    '{{#each list}}{{#if this}}{{@index}}{{@first}}{{@last}}{{../t}}{{@root.t}}{{else}}-{{@index}}{{/if}}{{/each}}',
    '{{#each list}}{{#unless @first}},{{/unless}}{{#if ../a}}{{this}}{{/if}}{{/each}}',
    // An item that is undefined: the block's context is Handlebars' null context, a new depth.
    '{{#each list}}{{#if ../a}}[{{../t}}]{{/if}}{{/each}}',
    '{{#with w}}{{#if x}}{{x}}{{../t}}{{/if}}{{/with}}',
    '{{#if a}}{{#if b}}{{#unless c}}{{../../t}}{{/unless}}{{/if}}{{/if}}',
    '{{#if (eq a b)}}same{{else}}apart{{/if}}',
    '{{#if a.missing}}y{{/if}}',
  ];
  const contexts: unknown[] = [
    { a: 1, b: 1, c: 0, t: 'T', list: [1, 0, 'x', null], w: { x: 'wx' } },
    { a: 0, b: 0, c: 1, t: '', list: [], w: { x: 0 } },
    { a: '', b: 'b', c: '', t: 't', list: [[], [0]], w: { x: [] } },
    { a: [], b: [1], c: [], t: 't', list: [false, true], w: { x: {} } },
    { a: {}, b: null, c: null, t: 't', list: [undefined], w: { x: 'x' } },
    // A function is called with the block's context as `this`.
    { a: function (this: { t: string }) { return this.t; }, b: () => 0, c: () => [], t: 'called', list: [() => 1], w: { x: () => '' } },
    { a: { missing: 1 }, b: 'x', c: 'x', t: 'x', list: ['a'], w: { x: true } },
    {},
  ];
  assertSameAsStock(sources, contexts);
  // Run in place: no options object, no program wrapper (the hash form still calls the helper).
  assert.doesNotMatch(precompileTemplate('host/x', '{{#if a}}y{{else}}n{{/if}}{{#unless a}}m{{/unless}}'), /container\.program|"if"|"unless"/);
  assert.match(precompileTemplate('host/x', '{{#if a includeZero=true}}y{{/if}}'), /"if"/);
});

test('partials called in place give what Handlebars’ invokePartial gives', () => {
  const partials = {
    'p/plain': '<{{v}}>',
    'p/data': '[{{@index}}{{@root.t}}{{#if @first}}first{{/if}}]',
    'p/nested': '({{> p/plain}}{{#each list}}{{> p/data}}{{/each}})',
    'p/lines': 'a\nb\n',
  };
  const sources = [
    '{{> p/plain}}',
    '{{> p/plain inner}}',
    '{{#each list}}{{> p/data}}{{/each}}',
    '{{> p/nested}}',
    '{{> (lookup . "which")}}',
    '{{> (lookup . "which") inner}}',
    '{{> p/missing}}',
    // Handlebars' own path: a hash, an indented standalone line, a partial block.
    '{{> p/plain v="hashed"}}',
    'x\n  {{> p/lines}}\ny',
    '{{#> p/missing}}fallback {{v}}{{/p/missing}}',
    '{{#> p/plain}}unused{{/p/plain}}',
  ];
  const contexts: unknown[] = [
    { v: 'top', inner: { v: 'inner' }, list: ['a', 'b'], t: 'T', which: 'p/plain' },
    { v: 0, inner: { v: null }, list: [], t: '', which: 'p/data' },
    { v: '', inner: {}, list: [1], t: 't', which: 'p/nowhere' },
    { v: 'v', inner: { v: 'i' }, list: [0], t: 't', which: '' },
    { v: 'v', inner: { v: 'i' }, list: [0], t: 't', which: 7 },
    { v: 'v', inner: null, list: [0], t: 't', which: 'constructor' },
    { v: 'v', inner: { v: 'i' }, list: [0], t: 't', which: 'toString' },
  ];
  assertSameAsStock(sources, contexts, partials);
  assert.doesNotMatch(precompileTemplate('host/x', '{{> p/plain}}{{> (lookup . "which")}}').replace(/: container\.invokePartial\(/g, ''), /container\.invokePartial/);
});

test('#each over an array run in place gives what Handlebars’ helper gives', () => {
  const sources = [
    '{{#each list}}[{{@index}} {{@key}} {{@first}} {{@last}} {{this}}]{{else}}empty{{/each}}',
    '{{#each list}}{{../t}}{{@root.t}}{{#each ../list}}{{@../index}}{{@index}}{{/each}};{{/each}}',
    '{{#each list}}{{#if @last}}last{{else}}{{@index}},{{/if}}{{/each}}',
    '{{#each nested}}({{#each this}}{{this}}{{else}}-{{/each}}){{/each}}',
    '{{#each list}}{{#each ../nested}}{{../../t}}{{/each}}{{/each}}',
    '{{#with w}}{{#each ../list}}{{../x}}{{/each}}{{/with}}',
    '{{#each list}}{{x}}{{/each}}',
  ];
  const sparse = [1, , 3]; // eslint-disable-line no-sparse-arrays
  const contexts: unknown[] = [
    { t: 'T', list: ['a', 'b', 'c'], nested: [[1], [], [2, 3]], w: { x: 'wx' } },
    { t: '', list: [], nested: [], w: { x: 0 } },
    { t: 's', list: sparse, nested: [sparse], w: { x: 1 } },
    { t: 'u', list: [undefined, null, 0], nested: [[undefined]], w: {} },
    { t: 'o', list: [{ x: 'x1' }, { x: 'x2' }], nested: [[{}]], w: { x: 'o' } },
    // Not an array: Handlebars' own helper (an object, a Map, a function, null, a string).
    { t: 'obj', list: { a: 1, b: 2 }, nested: { k: [1] }, w: { x: 'x' } },
    { t: 'map', list: new Map([['k', 'v']]), nested: new Set([[1]]), w: { x: 'x' } },
    { t: 'fn', list: () => ['from', 'fn'], nested: null, w: { x: 'x' } },
    { t: 'str', list: 'ab', nested: [], w: { x: 'x' } },
    {},
  ];
  assertSameAsStock(sources, contexts);
  assert.match(precompileTemplate('host/x', '{{#each list}}{{this}}{{/each}}'), /pbxplanEachArray/);
});
