// RUNBOOK.html in a real browser: Debian's chromium, headless and kept off the network, driven over
// the DevTools protocol (test/browser/chromium.ts). For every topology fixture's golden bundle: the page loads with no
// console message and no request but its own file; every host name, address and step id of
// plan.json is in the page's text; the diagram draws every host with its texts inside its box; on a
// phone the page does not scroll sideways; printed, the topology fits its one landscape page and the
// PDF has a sane page count; a screenshot is taken. A spec with a hostile description injects
// nothing. Without chromium the tests skip; REQUIRE_BROWSER=1 (CI) makes that a failure.
// BROWSER_ARTIFACTS=DIR keeps each PDF and screenshot in DIR to look at (docs/runbook-example.*).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import { compile, createToolchain, type Plan } from '../src/index.js';
import { Chromium, Page, chromiumPath, pdfPageCount } from './browser/chromium.js';
import { HOSTILE_TEXT, specWithDescription } from './browser/hostile-spec.js';
import { FIXTURES, fixtureDirs } from './golden.js';

const executable = chromiumPath();
const required = process.env['REQUIRE_BROWSER'] === '1';
const keep = process.env['BROWSER_ARTIFACTS'];
/** The topology fixtures (warning fixtures under errors/ repeat their shapes). */
const bundles = fixtureDirs()
  .filter((d) => !relative(FIXTURES, d).startsWith('errors/'))
  .map((d) => join(d, 'expected'))
  .filter((d) => existsSync(join(d, 'RUNBOOK.html')));

/** A4 in CSS pixels (96 per inch) less the page margins of the print CSS (14 mm × 12 mm). */
const MM = 96 / 25.4;
const LANDSCAPE = { width: Math.floor((297 - 24) * MM), height: Math.floor((210 - 28) * MM) };

let browser: Chromium | undefined;
const tmp = mkdtempSync(join(tmpdir(), 'pbxplan-browser-'));

before(async () => {
  if (executable) browser = await Chromium.launch(executable);
  if (keep) mkdirSync(keep, { recursive: true });
});
after(async () => {
  await browser?.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** The test's browser, or a skip (a failure under REQUIRE_BROWSER=1) when there is none. */
function needBrowser(t: { skip: (m: string) => void }): Chromium | undefined {
  if (browser) return browser;
  assert.ok(!required, 'chromium is not installed (apt-get install -y chromium) but REQUIRE_BROWSER=1');
  t.skip('chromium not installed (set REQUIRE_BROWSER=1 to make this a failure)');
  return undefined;
}

test('there are golden runbooks to open', () => {
  assert.ok(bundles.length >= 9, `found ${bundles.length}`);
});

/** What the page must show: every host name, address and step id the plan names. */
function mustShow(plan: Plan): string[] {
  const out = new Set<string>([plan.cluster.pbxAddress]);
  for (const h of plan.hosts) {
    out.add(h.hostname);
    out.add(h.privateIp);
    if (h.publicIp) out.add(h.publicIp);
    for (const a of h.preflight.addresses) out.add(a);
    for (const s of h.steps) {
      out.add(s.id);
      if ('address' in s) out.add(s.address);
    }
  }
  for (const p of plan.procedure) for (const it of p.items) if (it.kind === 'portal-whitelist') for (const e of it.entries) out.add(e.ip);
  return [...out];
}

interface Drawn {
  viewBox: number[];
  hosts: { host: string; rect: number[]; texts: { text: string; box: number[] }[] }[];
}

const DRAWN = `(() => {
  const svg = document.querySelector('svg.topology');
  const bb = (el) => { const b = el.getBBox(); return [b.x, b.y, b.width, b.height]; };
  return {
    viewBox: svg.getAttribute('viewBox').split(' ').map(Number),
    hosts: [...svg.querySelectorAll('g[data-host]')].map((g) => ({
      host: g.dataset.host,
      rect: bb(g.querySelector('rect')),
      texts: [...g.querySelectorAll('text')].map((t) => ({ text: t.textContent, box: bb(t) })),
    })),
  };
})()`;

for (const dir of bundles) {
  const name = relative(FIXTURES, dir).replace(/\/expected$/, '');
  test(`browser: ${name}`, async (t) => {
    const b = needBrowser(t);
    if (!b) return;
    const plan = JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8')) as Plan;
    const url = pathToFileURL(join(dir, 'RUNBOOK.html')).href;
    const page = await Page.open(b, url);
    try {
      assert.deepEqual(page.record.requests, [url], 'the page requests nothing but itself');

      const text = await page.eval<string>('document.body.innerText');
      const missing = mustShow(plan).filter((s) => !text.includes(s));
      assert.deepEqual(missing, [], 'host names, addresses and step ids missing from the page text');

      const drawn = await page.eval<Drawn>(DRAWN);
      assert.deepEqual(drawn.hosts.map((h) => h.host).sort(), plan.hosts.map((h) => h.hostname).sort(), 'every host is drawn once');
      const [, , vw, vh] = drawn.viewBox as [number, number, number, number];
      for (const h of drawn.hosts) {
        const [x, y, w, hh] = h.rect as [number, number, number, number];
        assert.ok(x >= 0 && y >= 0 && x + w <= vw && y + hh <= vh, `${h.host}: box outside the diagram`);
        assert.equal(h.texts[0]?.text, h.host);
        for (const tx of h.texts) {
          const [tx0, ty0, tw, th] = tx.box as [number, number, number, number];
          assert.ok(tx0 >= x && ty0 >= y && tx0 + tw <= x + w && ty0 + th <= y + hh, `${h.host}: "${tx.text}" (${tx.box.join(' ')}) overflows its box (${h.rect.join(' ')}) with the real font`);
        }
      }

      const shot = await page.screenshot();
      assert.equal(shot.subarray(1, 4).toString('latin1'), 'PNG');

      // A phone widens its viewport to what overflows (innerWidth grows), so compare with 390 itself.
      await page.viewport(390, 844, true);
      const scrollWidth = await page.eval<number>('document.documentElement.scrollWidth');
      assert.ok(scrollWidth <= 390, `on a 390 px phone the page is ${scrollWidth} px wide`);

      await page.media('print');
      await page.viewport(LANDSCAPE.width, LANDSCAPE.height, false);
      const topo = await page.eval<number>(`document.getElementById('topology').getBoundingClientRect().height`);
      assert.ok(topo <= LANDSCAPE.height, `printed, the topology section is ${Math.round(topo)} px high; its landscape page holds ${LANDSCAPE.height}`);
      await page.media('');

      const pdf = await page.pdf();
      assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
      const pages = pdfPageCount(pdf);
      // Cover, topology, notes, one page per phase at least, then decisions and sign-off.
      const phases = plan.procedure.length;
      assert.ok(pages >= phases + 3 && pages <= 2 * phases + 8, `${pages} PDF pages for ${phases} phases`);
      const landscape = [...pdf.toString('latin1').matchAll(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/g)].filter((m) => Number(m[1]) > Number(m[2]));
      assert.equal(landscape.length, 1, 'the topology has its own landscape page');

      assert.deepEqual(page.record.console, [], 'console messages, exceptions or log entries');
      assert.deepEqual(page.record.requests, [url], 'the page requests nothing but itself');
      if (keep) {
        const base = name.replace(/\//g, '_');
        writeFileSync(join(keep, `${base}.pdf`), pdf);
        writeFileSync(join(keep, `${base}.png`), shot);
        await page.viewport(1280, 900, false);
        const r = await page.eval<number[]>(`(() => { const r = document.getElementById('topology').getBoundingClientRect(); return [r.x, r.y + scrollY, r.width, r.height].map(Math.round); })()`);
        const [x, y, width, height] = r as [number, number, number, number];
        writeFileSync(join(keep, `${base}-topology.png`), await page.screenshot({ x: x - 16, y: y - 8, width: width + 32, height: height + 16 }));
      }
      t.diagnostic(`${name}: ${pages} pages, PDF ${pdf.length} bytes, HTML ${readFileSync(join(dir, 'RUNBOOK.html')).length} bytes`);
    } finally {
      await page.close();
    }
  });
}

test('browser: a hostile description injects no element, attribute or script', async (t) => {
  const b = needBrowser(t);
  if (!b) return;
  const toolchain = createToolchain();
  const open = async (description: string, file: string) => {
    const r = compile(specWithDescription(description), { today: '2026-01-01', generatedBy: 'pbxplan (test)', toolchain });
    const html = r.files?.find((f) => f.path === 'RUNBOOK.html')?.content;
    assert.ok(html, 'the spec compiles');
    writeFileSync(join(tmp, file), html);
    return Page.open(b, pathToFileURL(join(tmp, file)).href);
  };
  const census = `(() => {
    const all = [...document.querySelectorAll('*')];
    const tags = {};
    for (const el of all) tags[el.localName] = (tags[el.localName] ?? 0) + 1;
    const handlers = all.flatMap((el) => [...el.attributes].filter((a) => a.name.startsWith('on')).map((a) => el.localName + '@' + a.name));
    return { tags, handlers, injected: window.__pbxplanInjected ?? null, lead: document.querySelector('.lead')?.textContent ?? null };
  })()`;
  const hostile = await open(HOSTILE_TEXT, 'hostile.html');
  const benign = await open('A plain description', 'benign.html');
  try {
    const h = await hostile.eval<{ tags: Record<string, number>; handlers: string[]; injected: unknown; lead: string }>(census);
    const p = await benign.eval<{ tags: Record<string, number> }>(census);
    assert.deepEqual(h.tags, p.tags, 'the hostile page has exactly the elements of the benign one');
    assert.deepEqual([h.handlers, h.injected], [[], null]);
    assert.equal(h.lead, HOSTILE_TEXT, 'the description is shown as the text it is');
    assert.deepEqual(hostile.record.console, []);
    assert.equal(hostile.record.requests.length, 1, 'nothing fetched (no <img src=x>)');
  } finally {
    await hostile.close();
    await benign.close();
  }
});
