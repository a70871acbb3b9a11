// Region markers: stripped to the last one, their line ranges exact, a misplaced one a loud bug.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { regionBegin, regionEnd, stripRegions } from './regions.js';

test('marker lines go, the lines between them are the region', () => {
  const text = ['head', regionBegin('step', 'pbx'), 'a', 'b', regionEnd(), 'tail', regionBegin('item', 'w=1&"x"'), 'c', regionEnd(), ''].join('\n');
  const { content, regions } = stripRegions(text, 'f');
  assert.equal(content, 'head\na\nb\ntail\nc\n');
  assert.deepEqual(regions, [
    { kind: 'step', id: 'pbx', start: 2, end: 3 },
    { kind: 'item', id: 'w=1&"x"', start: 5, end: 5 },
  ]);
});

test('the id survives HTML escaping: only hex digits and the frame are printed', () => {
  assert.match(regionBegin('item', '<a href="x">'), /^\u001eitem:[0-9a-f]+\u001e$/);
});

test('regions nest, and an empty one is dropped', () => {
  const text = [regionBegin('step', 'outer'), 'x', regionBegin('step', 'inner'), 'y', regionEnd(), regionBegin('item', 'empty'), regionEnd(), regionEnd()].join('\n');
  const { content, regions } = stripRegions(text, 'f');
  assert.equal(content, 'x\ny');
  assert.deepEqual(regions, [
    { kind: 'step', id: 'outer', start: 1, end: 2 },
    { kind: 'step', id: 'inner', start: 2, end: 2 },
  ]);
});

test('a marker inside a line, an unopened end or an unclosed region is a template bug', () => {
  assert.throws(() => stripRegions(`text ${regionBegin('step', 'a')}\n${regionEnd()}`, 'f'), /shares line 1 with text/);
  assert.throws(() => stripRegions(`a\n${regionEnd()}`, 'f'), /never began/);
  assert.throws(() => stripRegions(`${regionBegin('step', 'a')}\nb`, 'f'), /step a never ends/);
  assert.throws(() => regionBegin('section', 'a'), /unknown region kind/);
});
