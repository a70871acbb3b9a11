// Diagnostics and diff reasons name the vendor's pages in words (issue 11, item 8): no text a
// user reads — a catalog entry's message, hint or explanation, or a diagnostic or change list
// printed for a fixture — holds an id of the project's domain notes (C27, E43, §2.5) or one of
// its page keys (OP-SCALE, HW). The ids stay in code comments beside the entries.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { artifactsDir as artifactsSource } from '../src/cli/io/artifacts-dir.js';
import { CODES, createToolchain, diff, formatDiffText, loadSide, REASONS, starterSpecs, validate, type Diagnostic } from '../src/index.js';
import { FIXTURES, fixtureDirs, fixtureOptions, GOLDEN_GENERATED_BY, GOLDEN_TODAY, REPO } from './golden.js';
import { references } from './references.js';

const toolchain = createToolchain();
const opts = { today: GOLDEN_TODAY, generatedBy: GOLDEN_GENERATED_BY, toolchain };

/** "where: id, id" for every text that holds references. */
function offenders(texts: [where: string, text: string][]): string[] {
  return texts.flatMap(([where, text]) => {
    const found = references(text);
    return found.length ? [`${where}: ${found.join(', ')}`] : [];
  });
}

const diagnosticTexts = (where: string, ds: Diagnostic[]): [string, string][] =>
  ds.flatMap((d) => [[`${where} ${d.code}`, [d.message, d.hint ?? '', ...(d.related ?? []).map((r) => r.message)].join('\n')] as [string, string]]);

test('the REFERENCE pattern finds the ids and keys of the domain notes, and leaves plain text alone', () => {
  const ids = 'C27 E43 W3 §2.5 § 6 Appendix B.3 S3 T2 OP-INST AWS-SCALE CL-CFG PBX-INST DF-INST UPG-22 BR-PBX RN22 HW HAG NOFILE (API max_concurrency) (SEC)';
  assert.deepEqual(references(ids).length, ids.split(' ').length - 3); // "§ 6", "(API max_concurrency)" count once each
  assert.deepEqual(references('PBX IM SBC 22.3 API key, the SEC filing, a /24, 4 CPUs, ubuntu-24.04, C-level, vr-server-1, portsip/sbc:11'), []);
});

test('catalog texts (diagnostic codes and diff reasons) name no domain-note ids or page keys', () => {
  const texts: [string, string][] = [
    ...Object.entries(CODES).flatMap(([code, e]) => [[`${code}.message`, e.message], [`${code}.hint`, e.hint], [`${code}.doc`, e.doc]] as [string, string][]),
    ...Object.entries(REASONS).flatMap(([code, r]) => [[`${code}.title`, r.title], [`${code}.doc`, r.doc]] as [string, string][]),
  ];
  assert.deepEqual(offenders(texts), []);
});

test('the diagnostics printed for every fixture spec, example and starter spec name no domain-note ids or page keys', () => {
  const texts: [string, string][] = [];
  for (const f of readdirSync(join(REPO, 'examples')).filter((f) => f.endsWith('.yaml'))) {
    texts.push(...diagnosticTexts(`examples/${f}`, validate(readFileSync(join(REPO, 'examples', f)), opts).diagnostics));
  }
  for (const [name, text] of Object.entries(starterSpecs())) texts.push(...diagnosticTexts(`starter ${name}`, validate(text, opts).diagnostics));
  for (const dir of fixtureDirs()) {
    const artifacts = join(dir, 'artifacts');
    const host = existsSync(artifacts) ? { artifacts: artifactsSource(artifacts, 'artifacts', false) } : {};
    const r = validate(readFileSync(join(dir, 'spec.yaml')), { ...opts, host, ...fixtureOptions(dir) });
    texts.push(...diagnosticTexts(relative(REPO, dir), r.diagnostics));
  }
  assert.ok(texts.length > 50, `${texts.length} diagnostics`);
  assert.deepEqual(offenders(texts), []);
});

test('the diagnostics and change lists of every change and upgrade pair name no domain-note ids or page keys', () => {
  const texts: [string, string][] = [];
  let pairs = 0;
  for (const group of ['changes', 'upgrades']) {
    for (const name of readdirSync(join(FIXTURES, group)).sort()) {
      const dir = join(FIXTURES, group, name);
      if (!existsSync(join(dir, 'old.yaml'))) continue;
      const sides = (['old.yaml', 'new.yaml'] as const).map((label) => {
        const text = readFileSync(join(dir, label), 'utf8');
        texts.push(...diagnosticTexts(`${group}/${name}/${label}`, validate(text, opts).diagnostics));
        return loadSide({ kind: 'spec', label, text }, opts);
      });
      const [a, b] = sides;
      if (!a?.ok || !b?.ok) continue;
      texts.push([`${group}/${name} diff`, formatDiffText(diff(a.side, b.side))]);
      pairs++;
    }
  }
  assert.ok(pairs >= 15, `${pairs} pairs diffed`);
  assert.deepEqual(offenders(texts), []);
});
