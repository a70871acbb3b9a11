// The runtime set-up of loadTemplates (each call run as Handlebars runs a partial, our helpers
// unwrapped, #each over arrays by its own loop) renders what Handlebars' usual path renders.
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
  const outcome = (run: () => string) => {
    try {
      return run();
    } catch (e) {
      return `error: ${(e as Error).message}`;
    }
  };
  for (const [i, source] of paths.entries()) {
    const name = `host/p${i}`;
    const ours = loadTemplates(precompiled({ [name]: source }))[name]!;
    const stock = Handlebars.create();
    stock.registerHelper(HELPERS);
    const theirs = stock.template(precompiled({ [name]: source }, (n, src) => Handlebars.precompile(src, compileOptions(n)) as unknown as string)[name]!);
    for (const context of contexts) assert.equal(outcome(() => ours(context)), outcome(() => theirs(context)), `${source} over ${JSON.stringify(context)}`);
  }
});
