// The OpenMetrics text format's rules (the specification's "Text Format" section), checked on what
// serializeOpenMetrics writes, and a line-by-line reader of the format that the output must pass.
import test from 'node:test';
import assert from 'node:assert/strict';
import { escapeText, formatValue, MetricFamily, serializeOpenMetrics, statesetPoints } from '../../../src/core/openmetrics';
import { METRICS, WatchedProcessReading, watchedProcessFamilies } from '../../../src/core/openmetrics';
import { GROWTH_CLASSES, GrowthVerdict } from '../../../src/core/model';

const LABELS = { pid: '42', command: 'python3 app.py --name "x"\\y\nz', runtime: 'python' };

function verdict(overrides: Partial<GrowthVerdict> = {}): GrowthVerdict {
  return { class: 'steady-leak', confidence: 0.93, slopeBytesPerS: 524288.5, slopeUncertaintyBytesPerS: 900, regimeStartMs: 0, explanation: 'Steady leak', ...overrides };
}

function reading(overrides: Partial<WatchedProcessReading> = {}): WatchedProcessReading {
  return {
    pid: 42,
    command: 'python3 app.py',
    runtime: 'python',
    sample: { tMs: 1, rssBytes: 104857600, deltaBytes: 0, threads: 3, fds: 7, childrenRssBytes: 2048, childCount: 1, cpuPercent: 1 },
    ussBytes: 90000000,
    pssBytes: 95000000,
    verdict: verdict(),
    ...overrides,
  };
}

interface ParsedFamily {
  type: string;
  unit?: string;
  help?: string;
  samples: { name: string; labels: Record<string, string>; value: string }[];
}

/**
 * A strict reader of the text format, enough for what Leakscope writes: metadata before samples,
 * one block per family, names and label syntax, the escapes, a unit that is the name's suffix,
 * and `# EOF` last, followed by one line feed at most.
 */
function parseExposition(text: string): Map<string, ParsedFamily> {
  assert.ok(text.endsWith('# EOF\n'), 'ends with # EOF and a line feed');
  const lines = text.slice(0, -1).split('\n');
  assert.equal(lines.pop(), '# EOF');
  const families = new Map<string, ParsedFamily>();
  let current: string | undefined;
  for (const line of lines) {
    const meta = /^# (TYPE|UNIT|HELP) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line);
    if (meta) {
      const [, kind, name, rest] = meta;
      if (kind === 'TYPE') {
        assert.ok(!families.has(name), `${name}: one block per family`);
        families.set(name, { type: rest, samples: [] });
        current = name;
        continue;
      }
      assert.equal(name, current, `${line}: metadata of the family being written`);
      const family = families.get(name);
      assert.ok(family && family.samples.length === 0, `${line}: metadata before samples`);
      if (kind === 'UNIT') family.unit = rest;
      else family.help = rest;
      continue;
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{((?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*",?)*)\})? (\S+)$/.exec(line);
    assert.ok(sample, `not a sample line: ${line}`);
    const [, name, labelText, value] = sample;
    assert.ok(current && (name === current || name === `${current}_info`), `${name}: a sample of the family ${current}`);
    const labels: Record<string, string> = {};
    for (const match of (labelText ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"/g)) {
      labels[match[1]] = match[2].replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    }
    assert.match(value, /^(-?\d+(\.\d+)?(e[+-]?\d+)?|NaN|[+-]Inf)$/, `${line}: a number`);
    families.get(current)?.samples.push({ name, labels, value });
  }
  for (const [name, family] of families) {
    if (family.unit !== undefined) assert.ok(name.endsWith(`_${family.unit}`), `${name}: unit ${family.unit} is its suffix`);
    assert.ok(family.help !== undefined, `${name} has HELP`);
  }
  return families;
}

test('every watched-process family parses as OpenMetrics, with units on sizes and the slope', () => {
  const families = parseExposition(serializeOpenMetrics(watchedProcessFamilies([reading(), reading({ pid: 43, command: LABELS.command, verdict: verdict({ class: 'flat', slopeBytesPerS: 0 }) })])));
  assert.deepEqual([...families.keys()], [METRICS.rss, METRICS.uss, METRICS.pss, METRICS.threads, METRICS.fds, METRICS.childrenRss, METRICS.children, METRICS.slope, METRICS.confidence, METRICS.verdictClass]);
  assert.equal(families.get(METRICS.rss)?.unit, 'bytes');
  assert.equal(families.get(METRICS.slope)?.unit, 'bytes_per_second');
  assert.equal(families.get(METRICS.threads)?.unit, undefined);
  assert.equal(families.get(METRICS.rss)?.type, 'gauge');
  const rss = families.get(METRICS.rss)?.samples ?? [];
  assert.deepEqual(rss.map((s) => [s.labels, s.value]), [
    [{ pid: '42', command: 'python3 app.py', runtime: 'python' }, '104857600'],
    [{ pid: '43', command: LABELS.command, runtime: 'python' }, '104857600'],
  ]);
  assert.equal(families.get(METRICS.slope)?.samples[0].value, '524288.5');
});

test('the class is a stateset: one point per class, labelled with the family name, 1 for the class held', () => {
  const families = parseExposition(serializeOpenMetrics(watchedProcessFamilies([reading({ verdict: verdict({ class: 'plateau' }) })])));
  const stateset = families.get(METRICS.verdictClass);
  assert.equal(stateset?.type, 'stateset');
  assert.equal(stateset?.unit, undefined, 'a stateset has no unit');
  assert.deepEqual(stateset?.samples.map((s) => s.labels[METRICS.verdictClass]), [...GROWTH_CLASSES]);
  assert.deepEqual(stateset?.samples.map((s) => s.value), GROWTH_CLASSES.map((c) => (c === 'plateau' ? '1' : '0')));
});

test('what is not known is left out: USS/PSS before a detail read, unreadable fds, an unmeasured slope, a process with no sample yet', () => {
  const early = reading({ ussBytes: undefined, pssBytes: undefined, sample: { tMs: 1, rssBytes: 1, deltaBytes: 0, threads: 1, fds: -1, childrenRssBytes: 0, childCount: 0, cpuPercent: 0 }, verdict: verdict({ class: 'unknown', confidence: 0, slopeBytesPerS: 0, slopeUncertaintyBytesPerS: 0 }) });
  const names = [...parseExposition(serializeOpenMetrics(watchedProcessFamilies([early]))).keys()];
  for (const absent of [METRICS.uss, METRICS.pss, METRICS.fds, METRICS.slope]) assert.ok(!names.includes(absent), absent);
  const none = [...parseExposition(serializeOpenMetrics(watchedProcessFamilies([reading({ sample: undefined, ussBytes: undefined, pssBytes: undefined })]))).keys()];
  assert.deepEqual(none, [METRICS.slope, METRICS.confidence, METRICS.verdictClass]);
  assert.equal(serializeOpenMetrics(watchedProcessFamilies([])), '# EOF\n', 'no process: an empty exposition, still terminated');
});

test('label values and help text escape backslash, double quote and line feed; nothing else', () => {
  assert.equal(escapeText('a\\b"c\nd\te'), 'a\\\\b\\"c\\nd\te');
  const text = serializeOpenMetrics([{ name: 'x', type: 'gauge', help: 'line one\nsays "hi" \\ bye', points: [{ labels: LABELS, value: 1 }] }]);
  assert.ok(text.includes('# HELP x line one\\nsays \\"hi\\" \\\\ bye\n'));
  const family = parseExposition(text).get('x');
  assert.deepEqual(family?.samples[0].labels, LABELS, 'the labels read back as they were');
});

test('numbers are written so they read back the same: integers plain, NaN and infinities spelled', () => {
  assert.equal(formatValue(0), '0');
  assert.equal(formatValue(-0), '0');
  assert.equal(formatValue(12345678901234), '12345678901234');
  assert.equal(formatValue(0.1), '0.1');
  assert.equal(formatValue(1e-7), '1e-7');
  assert.equal(formatValue(1e300), '1e+300');
  assert.equal(formatValue(NaN), 'NaN');
  assert.equal(formatValue(Infinity), '+Inf');
  assert.equal(formatValue(-Infinity), '-Inf');
  for (const value of [0.1, 1e-7, 1e300, 524288.5, -3.25]) assert.equal(Number(formatValue(value)), value);
});

test('families that break a rule are refused, not written', () => {
  const gauge = (overrides: Partial<MetricFamily>): MetricFamily => ({ name: 'm_bytes', type: 'gauge', help: 'h', points: [], ...overrides });
  assert.throws(() => serializeOpenMetrics([gauge({ name: '1bad' })]), /not a metric name/);
  assert.throws(() => serializeOpenMetrics([gauge({ unit: 'seconds' })]), /must be the name's suffix/);
  assert.throws(() => serializeOpenMetrics([gauge({ name: 'm', type: 'stateset', unit: 'bytes' })]), /a stateset has no unit/);
  assert.throws(() => serializeOpenMetrics([gauge({ name: 'requests_total' })]), /suffix another type/);
  assert.throws(() => serializeOpenMetrics([gauge({}), gauge({})]), /appears twice/);
  assert.throws(() => serializeOpenMetrics([gauge({ points: [{ labels: { 'bad-name': 'x' }, value: 1 }] })]), /not a label name/);
  assert.throws(() => serializeOpenMetrics([gauge({ points: [{ labels: { __reserved: 'x' }, value: 1 }] })]), /not a label name/);
});

test('an info family writes its points as <name>_info with value 1', () => {
  const text = serializeOpenMetrics([{ name: 'leakscope_build', type: 'info', help: 'Build.', points: [{ labels: { version: '0.1.0' }, value: 1 }] }]);
  assert.equal(text, '# TYPE leakscope_build info\n# HELP leakscope_build Build.\nleakscope_build_info{version="0.1.0"} 1\n# EOF\n');
  assert.deepEqual(statesetPoints('s', {}, ['a', 'b'], 'b'), [{ labels: { s: 'a' }, value: 0 }, { labels: { s: 'b' }, value: 1 }]);
});
