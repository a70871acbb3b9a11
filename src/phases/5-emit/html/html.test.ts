// RUNBOOK.html without a browser: markup is escaped by the one escaper (Handlebars' own, on for
// markup templates only) and never bypassed; a hostile description comes out as text; the page
// holds nothing that fetches or runs; the change/upgrade slot is empty today and renders when the
// view has a change; RUNBOOK.md and RUNBOOK.html list the same procedure items.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { FIXTURES, REPO, fixtureDirs } from '../../../../test/golden.js';
import { HOSTILE_TEXT, specWithDescription } from '../../../../test/browser/hostile-spec.js';
import { compile, createToolchain } from '../../../index.js';
import type { Plan } from '../../../model/plan.js';
import { template } from '../common/templates.js';
import { isMarkup } from '../common/templates.js';
import { emitHtml, htmlView } from './index.js';

const toolchain = createToolchain();
const TEMPLATES = join(REPO, 'templates');

function listTemplates(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listTemplates(join(dir, e.name)) : e.name.endsWith('.hbs') ? [join(dir, e.name)] : []));
}
const markup = listTemplates(TEMPLATES).filter((f) => isMarkup(f));

function goldenPlan(name: string): Plan {
  return JSON.parse(readFileSync(join(FIXTURES, name, 'expected', 'plan.json'), 'utf8')) as Plan;
}

function compiledHtml(specText: string): string {
  const r = compile(specText, { today: '2026-01-01', generatedBy: 'pbxplan (test)', toolchain });
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), [], 'the spec compiles');
  const f = (r.files ?? []).find((x) => x.path === 'RUNBOOK.html');
  assert.ok(f, 'the bundle has RUNBOOK.html');
  return f.content;
}

test('markup templates never print a value raw and include only markup partials', () => {
  assert.ok(markup.length >= 18, `found only ${markup.length} markup templates`);
  for (const f of markup) {
    const text = readFileSync(f, 'utf8');
    const where = relative(REPO, f);
    assert.doesNotMatch(text, /\{\{\{|\{\{~?&/, `${where}: {{{…}}} or {{&…}} prints a value without HTML escaping`);
    assert.doesNotMatch(text, /\{\{~?#?\s*(md|shq|comment|mmd)\b/, `${where}: the Markdown/shell/Mermaid quoting helpers have no place in HTML`);
    for (const m of text.matchAll(/\{\{~?>\s*([^\s}]+)/g)) {
      const name = m[1]!;
      if (name.startsWith('(')) continue; // the procedure item partial, checked below
      assert.ok(isMarkup(name), `${where}: includes partial ${name}, which is not compiled with HTML escaping`);
    }
  }
});

test('every procedure item kind has its HTML partial, and its look-up names a markup partial', () => {
  for (const dir of fixtureDirs()) {
    const planFile = join(dir, 'expected', 'plan.json');
    let plan: Plan;
    try {
      plan = JSON.parse(readFileSync(planFile, 'utf8')) as Plan;
    } catch {
      continue; // error fixtures have no plan
    }
    for (const phase of htmlView(plan).procedure) {
      for (const it of phase.items) {
        assert.ok(isMarkup(it.htmlPartial), it.htmlPartial);
        assert.ok(listTemplates(TEMPLATES).some((f) => f.endsWith(`partials/${it.htmlPartial}.hbs`)), `templates/partials/${it.htmlPartial}.hbs is missing`);
      }
    }
  }
});

test('a hostile description is printed as text: no element, attribute or comment escapes it', () => {
  const html = compiledHtml(specWithDescription(HOSTILE_TEXT));
  const benign = compiledHtml(specWithDescription('A plain description'));
  // Every tag of the page is one the benign page has too, as often.
  const tags = (s: string) => [...s.matchAll(/<([a-zA-Z][a-zA-Z0-9]*)/g)].map((m) => m[1]!.toLowerCase()).sort();
  assert.deepEqual(tags(html), tags(benign));
  assert.doesNotMatch(html, /<script|<img|onerror=|onload=/i);
  assert.equal(html.split('<!--').length, benign.split('<!--').length, 'no comment opened');
  const escaped = HOSTILE_TEXT.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#x27;').replace(/=/g, '&#x3D;');
  assert.ok(html.includes(escaped), 'the description appears escaped, character for character');
});

test('RUNBOOK.html is self-contained: no script, no external reference, a CSP that forbids both', () => {
  for (const name of ['standalone', 'cluster', 'ha-onprem-full', 'ha-aws', 'airgap']) {
    const html = readFileSync(join(FIXTURES, name, 'expected', 'RUNBOOK.html'), 'utf8');
    assert.doesNotMatch(html, /<script|<link|<img|<iframe|<object|<embed|@import|@font-face/i, name);
    assert.doesNotMatch(html, /\b(?:src|href)\s*=/i, `${name}: nothing is referenced by src or href`);
    assert.doesNotMatch(html, /url\((?!#)/i, `${name}: CSS/SVG url() only to fragments of the page`);
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">/);
    assert.equal(html.match(/<svg /g)?.length, 1, `${name}: one inline SVG, the topology`);
  }
});

test('the change slot renders nothing for a full bundle and the summary and downtime markers when a view has a change', () => {
  const plan = goldenPlan('cluster');
  const view = htmlView(plan);
  assert.equal(view.change, null);
  const page = emitHtml(plan, toolchain.templates)[0]!.content;
  assert.doesNotMatch(page, /id="change-summary"|class="downtime"/);
  const item = view.procedure[1]!.items[0]!;
  const changed = {
    ...view,
    change: {
      kind: 'upgrade' as const,
      lines: ['pbxplan diff old.yaml → new.yaml'],
      summary: [{ what: 'PBX image', before: 'portsip/pbx:22.2', after: 'portsip/pbx:22.3' }],
      changes: [],
      base: { specName: 'old.yaml', planHash: '0123456789abcdef' },
      target: { specName: 'new.yaml', planHash: 'fedcba9876543210' },
      purge: false,
      downtime: { [item.id]: 'the PBX restarts' },
    },
    procedure: view.procedure.map((p, i) => (i === 1 ? { ...p, items: p.items.map((it, j) => (j === 0 ? { ...it, downtime: 'the PBX restarts' } : it)) } : p)),
  };
  const out = template(toolchain.templates, 'runbook/RUNBOOK.html')(changed);
  assert.match(out, /<section id="change-summary" class="change">\n<h2>Upgrade: what differs from the installed cluster<\/h2>/);
  assert.match(out, /<td>PBX image<\/td><td>portsip\/pbx:22.2<\/td><td>portsip\/pbx:22.3<\/td>/);
  assert.ok(out.includes(`<li class="item ${item.place}" id="item-${item.id}">`));
  assert.match(out, /<span class="downtime">DOWNTIME: the PBX restarts<\/span>/);
});

test('RUNBOOK.md and RUNBOOK.html print the same procedure: every item, in order, host and portal items told apart', () => {
  for (const name of ['cluster', 'ha-onprem-full', 'ha-aws']) {
    const dir = join(FIXTURES, name, 'expected');
    const plan = goldenPlan(name);
    const html = readFileSync(join(dir, 'RUNBOOK.html'), 'utf8');
    const ids = [...html.matchAll(/<li class="item (host|portal)" id="item-([^"]+)">/g)].map((m) => `${m[1]}:${m[2]}`);
    const view = htmlView(plan);
    assert.deepEqual(ids, view.procedure.flatMap((p) => p.items.map((it) => `${it.place}:${it.id}`)));
    assert.ok(ids.some((i) => i.startsWith('host:')) && ids.some((i) => i.startsWith('portal:')), name);
    const phases = [...html.matchAll(/<section class="phase" id="phase-([^"]+)">/g)].map((m) => m[1]);
    assert.deepEqual(phases, plan.procedure.map((p) => p.id));
    const md = readFileSync(join(dir, 'RUNBOOK.md'), 'utf8');
    assert.deepEqual([...md.matchAll(/^## \d+\. (.+)$/gm)].map((m) => m[1]), plan.procedure.map((p) => p.title));
  }
});

test('accepted risks (waivers) are listed in RUNBOOK.html as in RUNBOOK.md', () => {
  const dir = join(FIXTURES, 'waivers', 'valid', 'expected');
  const plan = JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8')) as Plan;
  assert.ok(plan.acceptedRisks?.length, 'the fixture accepts risks');
  const html = readFileSync(join(dir, 'RUNBOOK.html'), 'utf8');
  const section = /<section id="accepted-risks">[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
  for (const r of plan.acceptedRisks!) assert.ok(section.includes(`<tr><td><code>${r.code}</code></td><td>${r.path}`), r.path);
  assert.equal(section.match(/<tr><td>/g)?.length, plan.acceptedRisks!.length);
  assert.doesNotMatch(readFileSync(join(FIXTURES, 'cluster', 'expected', 'RUNBOOK.html'), 'utf8'), /accepted-risks/);
});
