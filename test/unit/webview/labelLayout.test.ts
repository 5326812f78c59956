// The chart's label layout: the crowded moments of the issue (limit beside its projection, a
// probe marker under the limit label, two fix markers a few pixels apart) give boxes that never
// overlap, stay inside the plot, and hold whole texts, never cut ones.
import test from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Box, boxInside, LabelRequest, layoutLabels, overlappingPairs } from '../../../webview/model/labelLayout';
import { limitLineTexts } from '../../../webview/model/limitText';

const PLOT: Box = { left: 50, top: 10, width: 600, height: 250 };
/** ~6.5 px a character, as the panel's 11 px font measures. */
const measure = (text: string): number => text.length * 6.5;
const H = 13;

function marker(id: string, x: number, texts: string[]): LabelRequest {
  return {
    id,
    texts,
    places: (w) => [0, 1, 2, 3].flatMap((row) => [{ left: x + 3, top: PLOT.top + 2 + row * 14 }]).concat([0, 1, 2, 3].map((row) => ({ left: x - 3 - w, top: PLOT.top + 2 + row * 14 }))),
  };
}

function beside(id: string, x: number, y: number, text: string): LabelRequest {
  return { id, texts: [text], places: (w) => [{ left: x - w, top: y - H - 1 }, { left: x - w, top: y + 3 }, { left: x - w, top: y - 2 * H - 3 }] };
}

test('the crowded moment of the issue: limit, its projection, a probe marker and two fix markers', () => {
  const right = PLOT.left + PLOT.width - 4;
  const requests = [
    beside('limit', right, 30, 'limit 600 MB'),
    beside('projection', right, 32, 'limit in 31 s'),
    marker('probe', 560, ['Probe: nothing grew', 'probe']),
    marker('fix-1', 400, ['Fix applied to federated_server.py', 'fix']),
    marker('fix-2', 404, ['Fix applied to federated_server.py', 'fix']),
  ];
  const placed = layoutLabels(requests, PLOT, measure, H);
  assert.deepEqual(overlappingPairs(placed), []);
  for (const label of placed) assert.ok(boxInside(label.box, PLOT), `${label.id} leaves the plot`);
  for (const label of placed) {
    const request = requests.find((r) => r.id === label.id);
    assert.ok(request?.texts.includes(label.text), `${label.id} shows a cut text: ${label.text}`);
  }
  assert.deepEqual(placed.map((l) => l.id).sort(), ['fix-1', 'fix-2', 'limit', 'probe', 'projection']);
});

test('a label with no free place is left out, not drawn over another', () => {
  const tiny: Box = { left: 0, top: 0, width: 100, height: 14 };
  const only = { id: 'a', texts: ['xxxxxxxxxx'], places: () => [{ left: 0, top: 0 }] };
  const placed = layoutLabels([only, { ...only, id: 'b' }], tiny, measure, H);
  assert.deepEqual(placed.map((l) => l.id), ['a']);
});

test('any set of markers: no overlaps, nothing outside the plot', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.integer({ min: 50, max: 650 }), fc.string({ minLength: 1, maxLength: 40 })), { maxLength: 25 }), (markers) => {
      const placed = layoutLabels(markers.map(([x, text], i) => marker(`m${i}`, x, [text, 'x'])), PLOT, measure, H);
      return overlappingPairs(placed).length === 0 && placed.every((l) => boxInside(l.box, PLOT));
    }),
  );
});

test('the named limit in the crowded moment: its name where there is room, the number where not, never an overlap', () => {
  const right = PLOT.left + PLOT.width - 4;
  const named = limitLineTexts({ bytes: 250 * 2 ** 20, label: 'container limit 2 GiB' }, true);
  const crowd = (plot: Box): LabelRequest[] => [
    { id: 'limit', texts: named, places: (w) => [{ left: plot.left + plot.width - 4 - w, top: 30 - H - 1 }, { left: plot.left + plot.width - 4 - w, top: 33 }] },
    beside('projection', right, 32, 'limit in 31 s'),
    marker('probe', 560, ['Probe: nothing grew', 'probe']),
    marker('fix-1', 400, ['Fix applied to federated_server.py', 'fix']),
  ];
  const placed = layoutLabels(crowd(PLOT), PLOT, measure, H);
  assert.deepEqual(overlappingPairs(placed), []);
  for (const label of placed) assert.ok(boxInside(label.box, PLOT), `${label.id} leaves the plot`);
  assert.equal(placed.find((l) => l.id === 'limit')?.text, 'container limit 2 GiB');

  // A plot narrower than the name: the line keeps a label, the plain number, not a cut name.
  const narrow: Box = { left: 0, top: 10, width: 110, height: 250 };
  const tight = layoutLabels([crowd(narrow)[0]], narrow, measure, H);
  assert.equal(tight[0]?.text, 'limit 250 MB');
});
