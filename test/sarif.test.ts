// SARIF output: the log of every fixture validates against the SARIF 2.1.0 JSON schema (the copy
// Microsoft's SARIF Multitool ships), keeps to GitHub code scanning's documented requirements
// and limits, and passes the Multitool's own GitHub ingestion rules (`validate --rule-kind Ghas`).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { after, test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { CODES, type Code } from '../src/diagnostics/codes.js';
import { DiagnosticBag } from '../src/diagnostics/diagnostic.js';
import { formatPath } from '../src/diagnostics/yaml-path.js';
import { clip, GITHUB_LIMITS, sarifLog, sarifRules, type SarifLog } from '../src/diagnostics/sarif.js';
import { compile, createToolchain } from '../src/index.js';
import { FIXTURES, GOLDEN_GENERATED_BY, GOLDEN_TODAY, REPO, fixtureDirs } from './golden.js';

const MULTITOOL = createRequire(import.meta.url)('@microsoft/sarif-multitool') as string;
const schema = JSON.parse(readFileSync(join(dirname(MULTITOOL), 'sarif-2.1.0.json'), 'utf8')) as Record<string, unknown>;
// The schema itself uses `required` and `anyOf` in ways ajv's strict mode flags; its formats are
// checked here with the URL parser (uri must be absolute, as GitHub requires of helpUri).
const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, strictTypes: false });
const isUrl = (s: string, base?: string) => {
  try {
    new URL(s, base);
    return !/\s/.test(s);
  } catch {
    return false;
  }
};
ajv.addFormat('uri', (s: string) => isUrl(s));
ajv.addFormat('uri-reference', (s: string) => isUrl(s, 'http://base.invalid/'));
ajv.addFormat('date-time', (s: string) => !Number.isNaN(Date.parse(s)));
ajv.addFormat('uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
const validateSarif = ajv.compile(schema);

const toolchain = createToolchain();
const tmp = mkdtempSync(join(tmpdir(), 'pbxplan-sarif-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** The SARIF of a fixture, as `pbxplan validate fixtures/…/spec.yaml --format sarif` prints it from the repository root. */
function fixtureSarif(dir: string, text: string | Uint8Array = readFileSync(join(dir, 'spec.yaml'))) {
  const result = compile(text, { today: GOLDEN_TODAY, generatedBy: GOLDEN_GENERATED_BY, toolchain, checkOnly: true });
  const file = relative(REPO, join(dir, 'spec.yaml')).split('\\').join('/');
  return { file, diagnostics: result.diagnostics, log: sarifLog(result.diagnostics, { file, source: text, toolVersion: '0.1.0' }) };
}

/** What GitHub code scanning requires beyond the schema ("SARIF support", supported properties and limits). */
function githubProblems(log: SarifLog): string[] {
  const problems: string[] = [];
  if (log.runs.length < 1 || log.runs.length > GITHUB_LIMITS.runsPerFile) problems.push(`${log.runs.length} runs`);
  for (const run of log.runs) {
    const rules = run.tool.driver.rules;
    const ids = rules.map((r) => r.id);
    const dup = ids.filter((id, i) => ids.indexOf(id) !== i);
    if (dup.length) problems.push(`duplicate rule ids: ${dup.join(', ')}`);
    if (rules.length > GITHUB_LIMITS.rulesPerRun) problems.push(`${rules.length} rules`);
    for (const r of rules) {
      if (!r.id.trim()) problems.push('a rule without id');
      if (!r.shortDescription?.text.trim()) problems.push(`${r.id}: empty shortDescription`);
      if (!r.fullDescription?.text.trim()) problems.push(`${r.id}: empty fullDescription`);
      if (!r.help?.text.trim()) problems.push(`${r.id}: empty help.text`);
      if ((r.shortDescription?.text.length ?? 0) > GITHUB_LIMITS.descriptionLength) problems.push(`${r.id}: shortDescription too long`);
      if ((r.fullDescription?.text.length ?? 0) > GITHUB_LIMITS.descriptionLength) problems.push(`${r.id}: fullDescription too long`);
      if ((r.name ?? '').length > GITHUB_LIMITS.ruleNameLength) problems.push(`${r.id}: name too long`);
      if ((r.properties?.tags.length ?? 0) > GITHUB_LIMITS.tagsPerRule) problems.push(`${r.id}: too many tags`);
    }
    if (run.results.length > GITHUB_LIMITS.resultsPerRun) problems.push(`${run.results.length} results`);
    run.results.forEach((res, i) => {
      const at = `result ${i} (${res.ruleId})`;
      if (!res.message?.text.trim()) problems.push(`${at}: empty message`);
      if (rules[res.ruleIndex]?.id !== res.ruleId) problems.push(`${at}: ruleIndex does not point at its rule`);
      if (res.locations?.length !== 1) problems.push(`${at}: ${res.locations?.length ?? 0} locations`);
      if ((res.locations?.length ?? 0) + (res.relatedLocations?.length ?? 0) > GITHUB_LIMITS.locationsPerResult) problems.push(`${at}: too many locations`);
      if (!res.partialFingerprints?.['primaryLocationLineHash']) problems.push(`${at}: no primaryLocationLineHash`);
      for (const loc of [...(res.locations ?? []), ...(res.relatedLocations ?? [])]) {
        const p = loc.physicalLocation;
        if (!p?.artifactLocation?.uri) problems.push(`${at}: a location without artifactLocation.uri`);
        const r = p?.region;
        if (!r || ![r.startLine, r.startColumn, r.endLine, r.endColumn].every((n) => Number.isInteger(n) && n >= 1)) problems.push(`${at}: incomplete region ${JSON.stringify(r)}`);
        else if (r.endLine < r.startLine || (r.endLine === r.startLine && r.endColumn <= r.startColumn)) problems.push(`${at}: empty or inverted region ${JSON.stringify(r)}`);
      }
    });
  }
  return problems;
}

test('the problem finder itself catches empty messages, duplicate rule ids and missing regions', () => {
  const { log } = fixtureSarif(join(FIXTURES, 'errors', 'host_ip_duplicate'));
  const broken = structuredClone(log);
  const run = broken.runs[0]!;
  run.tool.driver.rules.push({ ...run.tool.driver.rules[0]! });
  run.results[0]!.message.text = '';
  delete (run.results[0]!.locations[0]!.physicalLocation as { region?: unknown }).region;
  const problems = githubProblems(broken).join('\n');
  assert.match(problems, /duplicate rule ids: yaml_syntax/);
  assert.match(problems, /empty message/);
  assert.match(problems, /incomplete region/);
  assert.deepEqual(githubProblems(log), []);
});

test('the schema check itself refuses a relative helpUri and an empty run', () => {
  const { log } = fixtureSarif(join(FIXTURES, 'errors', 'host_ip_duplicate'));
  const bad = structuredClone(log) as unknown as { runs: { tool: { driver: { rules: Record<string, unknown>[] } } }[] };
  bad.runs[0]!.tool.driver.rules[0]!['helpUri'] = 'docs/invariants.md#yaml_syntax';
  assert.equal(validateSarif(bad), false);
  assert.equal(validateSarif({ version: '2.1.0', runs: [{}] }), false);
});

test('the SARIF of every fixture validates against the SARIF 2.1.0 schema and meets GitHub\'s requirements', () => {
  const dirs = fixtureDirs();
  assert.ok(dirs.filter((d) => d.includes('/errors/')).length >= 60, 'every error fixture is covered');
  for (const dir of dirs) {
    const { file, diagnostics, log } = fixtureSarif(dir);
    const name = relative(FIXTURES, dir);
    assert.ok(validateSarif(log), `${name}: ${ajv.errorsText(validateSarif.errors)}`);
    assert.deepEqual(githubProblems(log), [], name);
    const run = log.runs[0]!;
    assert.equal(run.tool.driver.rules.length, Object.keys(CODES).length, `${name}: every rule of the catalog`);
    assert.equal(run.results.length, diagnostics.length, `${name}: one result per diagnostic`);
    for (const res of run.results) assert.equal(res.locations[0]!.physicalLocation.artifactLocation.uri, file, `${name}: the spec as the user named it`);
    assert.deepEqual(
      run.results.map((r) => `${r.ruleId} ${r.properties.yamlPath}`).sort(),
      diagnostics.map((d) => `${d.code} ${formatPath(d.path)}`).sort(),
      `${name}: one result per diagnostic`,
    );
    if (name.startsWith('errors/')) {
      const code = name.slice('errors/'.length);
      assert.ok(run.results.some((r) => r.ruleId === code), `${name}: a result for ${code}`);
    }
  }
});

test('rules: id, short and full description, help = the explain text; levels from severities', () => {
  const rules = sarifRules();
  assert.deepEqual(
    rules.map((r) => r.id),
    Object.keys(CODES),
  );
  for (const r of rules) {
    const e = CODES[r.id as Code];
    assert.ok(r.help.text.includes(e.doc), r.id);
    assert.ok(r.help.text.includes(`pbxplan explain ${r.id}`), r.id);
    assert.equal(r.defaultConfiguration.level, e.severity);
    assert.doesNotMatch(r.shortDescription.text, /\{[a-zA-Z]+\}/, `${r.id}: placeholders are shown as <name>`);
    assert.equal(r.properties.waivable, e.waivable);
  }
});

test('levels: error → error, warning → warning, accepted → note with an in-source suppression and its justification', () => {
  const { log } = fixtureSarif(join(FIXTURES, 'waivers', 'valid'));
  const results = log.runs[0]!.results;
  const accepted = results.filter((r) => r.suppressions);
  assert.equal(accepted.length, 5);
  for (const r of accepted) {
    assert.equal(r.level, 'note');
    assert.equal(r.suppressions!.length, 1);
    const s = r.suppressions![0]!;
    assert.equal(s.kind, 'inSource');
    assert.equal(s.status, 'accepted');
    assert.match(s.justification, /\(approved by .+; until 2026-0[3-6]-[0-9]{2} inclusive\)$/);
    assert.equal(s.location!.logicalLocations![0]!.fullyQualifiedName.startsWith('waivers['), true);
  }
  const cpu = accepted.find((r) => r.properties.yamlPath === 'pbx.host.hardware.cpus')!;
  assert.equal(cpu.suppressions![0]!.justification, 'the lab host has one vCPU until the new cluster arrives (approved by J. Doe (change CAB-1234); until 2026-03-31 inclusive)');
  const open = results.filter((r) => !r.suppressions);
  assert.deepEqual(
    open.map((r) => [r.ruleId, r.level]),
    [['hardware_below_minimum', 'warning']],
  );
  const errors = fixtureSarif(join(FIXTURES, 'waivers', 'expired')).log.runs[0]!.results.filter((r) => r.level === 'error');
  assert.deepEqual(
    errors.map((r) => r.ruleId),
    ['waiver_expired'],
  );
});

test('regions: start and end line and column of the diagnostic span; the file\'s first line when there is none', () => {
  const { log } = fixtureSarif(join(FIXTURES, 'errors', 'hardware_below_minimum'));
  assert.deepEqual(log.runs[0]!.results[2]!.locations[0]!.physicalLocation.region, { startLine: 15, startColumn: 47, endLine: 15, endColumn: 49 });
  const spanless = sarifLog([{ code: 'artifact_missing', severity: 'error', message: 'x is missing', path: [] }], { file: 'spec.yaml', source: 'apiVersion: pbxplan/v1\n' });
  assert.deepEqual(spanless.runs[0]!.results[0]!.locations[0]!.physicalLocation.region, { startLine: 1, startColumn: 1, endLine: 1, endColumn: 23 });
  // A span that ends at the start of a line (a whole mapping) ends on the line before.
  const block = sarifLog([{ code: 'schema_required', severity: 'error', message: 'm', path: ['a'], span: { line: 1, col: 1, endLine: 3, endCol: 1 } }], { file: 's.yaml', source: 'a:\n  b: 1\nc: 2\n' });
  assert.deepEqual(block.runs[0]!.results[0]!.locations[0]!.physicalLocation.region, { startLine: 1, startColumn: 1, endLine: 2, endColumn: 7 });
});

test('fingerprints do not depend on line numbers: moving the spec down keeps every fingerprint', () => {
  const dir = join(FIXTURES, 'waivers', 'valid');
  const text = readFileSync(join(dir, 'spec.yaml'), 'utf8');
  const before = fixtureSarif(dir, text).log.runs[0]!.results;
  const after = fixtureSarif(dir, '# three\n# more\n# lines\n' + text).log.runs[0]!.results;
  assert.deepEqual(
    after.map((r) => r.partialFingerprints),
    before.map((r) => r.partialFingerprints),
  );
  assert.deepEqual(
    after.map((r) => r.locations[0]!.physicalLocation.region.startLine),
    before.map((r) => r.locations[0]!.physicalLocation.region.startLine + 3),
  );
  const prints = before.map((r) => r.partialFingerprints['primaryLocationLineHash']);
  assert.equal(new Set(prints).size, prints.length, 'distinct results have distinct fingerprints');
  // A later day changes dates in messages (today is …) but not the fingerprint.
  const later = compile(text, { today: '2026-02-01', generatedBy: 'x', toolchain, checkOnly: true });
  const soon = sarifLog(later.diagnostics, { file: 'fixtures/waivers/valid/spec.yaml', source: text }).runs[0]!.results.find((r) => r.ruleId === 'whitelist_expiry_soon')!;
  assert.equal(soon.partialFingerprints['primaryLocationLineHash'], before.find((r) => r.ruleId === 'whitelist_expiry_soon')!.partialFingerprints['primaryLocationLineHash']);
});

test('artifact URIs: relative as the user named it (normalised), absolute as file: URIs', () => {
  const uri = (file: string) => sarifLog([{ code: 'yaml_syntax', severity: 'error', message: 'm', path: [] }], { file, source: '' }).runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation;
  assert.deepEqual(uri('./deploy/acme.yaml'), { uri: 'deploy/acme.yaml', uriBaseId: '%SRCROOT%' });
  assert.deepEqual(uri('deploy\\site a.yaml'), { uri: 'deploy/site%20a.yaml', uriBaseId: '%SRCROOT%' });
  assert.deepEqual(uri('/srv/specs/acme.yaml'), { uri: 'file:///srv/specs/acme.yaml' });
});

test('limits: at most 25,000 results per run (the most severe kept, the rest counted), 1,000 locations per result, descriptions cut at 1,024', () => {
  const bag = new DiagnosticBag();
  for (let i = 0; i < 25_005; i++) bag.add('hardware_below_minimum', ['servers', i], { host: `h${i}`, have: '1 CPU', need: '2 CPUs', purpose: 'x', source: 'y' });
  bag.add('host_ip_duplicate', ['servers', 0, 'privateIp'], { ip: '10.0.0.1', first: 'a', second: 'b' });
  const many = sarifLog(bag.items, { file: 'spec.yaml', source: 'a: 1\n' });
  const run = many.runs[0]!;
  assert.equal(run.results.length, GITHUB_LIMITS.resultsPerRun);
  assert.equal(run.results[0]!.ruleId, 'host_ip_duplicate', 'errors are kept first');
  assert.match(run.invocations[0]!.toolExecutionNotifications![0]!.message.text, /^6 less severe results were left off/);
  assert.deepEqual(githubProblems(many), []);

  const related = Array.from({ length: 1500 }, (_, i) => ({ message: `use ${i}`, path: ['servers', i] }));
  const wide = sarifLog([{ code: 'host_ip_duplicate', severity: 'error', message: 'm', path: [], related }], { file: 'spec.yaml', source: '' });
  assert.equal(1 + wide.runs[0]!.results[0]!.relatedLocations!.length, GITHUB_LIMITS.locationsPerResult);
  assert.ok(validateSarif(wide), ajv.errorsText(validateSarif.errors));

  const long = clip('word '.repeat(400), GITHUB_LIMITS.descriptionLength);
  assert.ok(long.length <= GITHUB_LIMITS.descriptionLength && long.endsWith('…'));
  assert.equal(clip('short', 1024), 'short');
});

test('an empty message still gives a result with text (GitHub rejects empty required strings)', () => {
  const log = sarifLog([{ code: 'yaml_syntax', severity: 'error', message: '  ', path: [] }], { file: 'spec.yaml', source: '' });
  assert.equal(log.runs[0]!.results[0]!.message.text, 'YAML syntax error: <detail>');
  assert.deepEqual(githubProblems(log), []);
});

test('Microsoft\'s SARIF Multitool finds nothing under its SARIF and GitHub (Ghas) ingestion rules but the missing informationUri', () => {
  accessSync(MULTITOOL, constants.X_OK);
  // About 8 s per file on two cores: accepted results, related locations, diagnostics without a span.
  const picks = ['waivers/valid', 'errors/host_ip_duplicate', 'airgap-incomplete'];
  const files = picks.map((p) => {
    const out = join(tmp, `${p.replace(/\//g, '-')}.sarif`);
    writeFileSync(out, JSON.stringify(fixtureSarif(join(FIXTURES, p)).log, null, 2));
    return out;
  });
  const report = join(tmp, 'multitool.sarif');
  const r = spawnSync(MULTITOOL, ['validate', '--rule-kind', 'Sarif;Ghas', '--output', report, ...files], { encoding: 'utf8', env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1' }, timeout: 120_000 });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const found = (JSON.parse(readFileSync(report, 'utf8')) as SarifLog).runs[0]!.results.map((x) => `${x.level ?? 'warning'} ${x.ruleId}: ${x.message.text ?? JSON.stringify(x.message)}`);
  // SARIF2005 asks for tool.driver.informationUri, a web page about the tool: pbxplan has none yet.
  assert.deepEqual(
    found.filter((f) => !/^warning SARIF2005: .*nformationUri/.test(f)),
    [],
    r.stdout,
  );
  assert.equal(found.length, picks.length, 'the Multitool reported its informationUri advice once per file (it ran its rules)');
});
