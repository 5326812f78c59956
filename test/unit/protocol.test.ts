// The host <-> webview protocol: well-formed messages pass unchanged, anything else is
// refused without throwing, including arbitrary JSON (fuzzed with fast-check).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  FromWebviewMessage,
  InitMessage,
  MonitorDescriptor,
  PROTOCOL_VERSION,
  PanelState,
  SIMPLE_ACTIONS,
  ToWebviewMessage,
  describeRejected,
  packForPosting,
  parseFromWebview,
  parsePanelState,
  parseToWebview,
} from '../../src/core/protocol';
import { columnsToSamples, emptyColumns, samplesToColumns } from '../../src/core/shared/columns';
import { MemorySample } from '../../src/core/model';
import { DecompositionUpdate } from '../../src/core/shared/decomposition';

const monitor: MonitorDescriptor = {
  id: 'm1',
  kind: 'live',
  pid: 4242,
  title: 'python leak.py',
  command: 'python leak.py --size 10',
  state: 'running',
  startedMs: 1_767_600_000_000,
  limits: { memoryBytes: 12 * 2 ** 30 },
  intervalMs: 1000,
  warnAtFraction: 0.8,
};

function sample(i: number, extra: Partial<MemorySample> = {}): MemorySample {
  return {
    tMs: monitor.startedMs + i * 1000,
    rssBytes: 100e6 + i * 1e5,
    deltaBytes: i === 0 ? 0 : 1e5,
    threads: 4,
    fds: 12,
    childrenRssBytes: 0,
    childCount: 0,
    cpuPercent: 1.5,
    ...extra,
  };
}

const columns = samplesToColumns([sample(0), sample(1, { ussBytes: 90e6 }), sample(2)]);

const decomposition: DecompositionUpdate = {
  readings: { t: [monitor.startedMs, monitor.startedMs + 5000], anon: [80e6, 90e6], file: [18e6, 18e6], shmem: [2e6, 2e6], swap: [0, 0] },
  diagnosis: { kind: 'native-growth', summary: 'RSS grew 10 MB in 5 s; 9 MB of it is outside Python\'s objects.', evidence: { rss_growth_bytes: 10e6, native_growth_bytes: 9e6, window_s: 5 }, fix: 'Look at the native side.' },
};

const goodToWebview: ToWebviewMessage[] = [
  {
    type: 'init',
    monitor,
    samples: columns,
    events: [{ tMs: monitor.startedMs, kind: 'attach', label: 'attached' }],
    verdict: null,
    probe: null,
    comparison: null,
  },
  { type: 'samples', samples: columns },
  {
    type: 'verdict',
    verdict: {
      class: 'steady-leak',
      confidence: 0.9,
      slopeBytesPerS: 1200,
      slopeUncertaintyBytesPerS: 30,
      regimeStartMs: monitor.startedMs,
      explanation: 'troughs rise',
    },
  },
  { type: 'verdict', verdict: null },
  { type: 'state', state: 'exited', summary: 'exited with code 0' },
  { type: 'state', state: 'paused' },
  { type: 'monitor', monitor: { ...monitor, intervalMs: 500 } },
  // The limit that applies, named by the core: the panel shows these words, not its own.
  {
    type: 'monitor',
    monitor: {
      ...monitor,
      limits: { memoryBytes: 256 * 2 ** 20, memoryLabel: 'cgroup limit 256 MB', memoryDescription: "the cgroup's 256 MB memory limit (the OOM killer stops it there), memory.max of /user.slice/x" },
    },
  },
  { type: 'event', event: { tMs: monitor.startedMs, kind: 'gc', label: 'gc.collect()' } },
  {
    type: 'probe',
    probe: { status: 'done', sites: [{ file: '/w/leak.py', line: 12, function: 'handler', bytes: 5e6, count: 100 }], notes: ['tracemalloc'] },
  },
  { type: 'comparison', comparison: { label: 'before.csv', samples: columns, events: [] } },
  { type: 'comparison', comparison: null },
  { type: 'error', text: 'Could not pause' },
  { type: 'decomposition', decomposition },
  { type: 'decomposition', decomposition: { ...decomposition, diagnosis: null } },
  { ...(goodToWebviewInit()), decomposition },
];

function goodToWebviewInit(): InitMessage {
  return { type: 'init', monitor, samples: columns, events: [], verdict: null, probe: null, comparison: null };
}

const goodFromWebview: FromWebviewMessage[] = [
  ...SIMPLE_ACTIONS.map((type) => ({ type })),
  { type: 'setInterval', ms: 250 },
  { type: 'exportTrace', format: 'csv' },
  { type: 'exportTrace', format: 'json' },
  { type: 'openLocation', file: '/w/leak.py', line: 3 },
];

describe('protocol: well-formed messages', () => {
  it('accepts every host message unchanged, also after a JSON round trip', () => {
    for (const message of goodToWebview) {
      assert.deepEqual(parseToWebview(message), message);
      assert.deepEqual(parseToWebview(JSON.parse(JSON.stringify(message))), message);
    }
  });

  it('accepts every webview message unchanged', () => {
    for (const message of goodFromWebview) assert.deepEqual(parseFromWebview(message), message);
  });

  it('reads every host message the same after packing its columns as Float64Arrays, as the host posts it', () => {
    for (const message of goodToWebview) {
      // structuredClone: what a browser does to a posted message on its way in.
      assert.deepEqual(parseToWebview(structuredClone(packForPosting(message))), message, message.type);
    }
    const packed = packForPosting(goodToWebviewInit()) as { samples: Record<string, unknown> };
    for (const [key, values] of Object.entries(packed.samples)) assert.ok(values instanceof Float64Array, key);
    // NaN marks a sample without the reading: the webview reads it as null again.
    assert.ok(Number.isNaN((packed.samples.uss as Float64Array)[0]));
  });

  it('drops unknown extra fields instead of passing them on', () => {
    assert.deepEqual(parseFromWebview({ type: 'pause', evil: '<script>' }), { type: 'pause' });
  });
});

describe('protocol: malformed messages are refused', () => {
  const refusedFromWebview: [string, unknown][] = [
    ['unknown type', { type: 'rm -rf' }],
    ['missing type', {}],
    ['not an object', 'pause'],
    ['array', ['pause']],
    ['null', null],
    ['interval below 100 ms', { type: 'setInterval', ms: 10 }],
    ['interval not an integer', { type: 'setInterval', ms: 250.5 }],
    ['interval as string', { type: 'setInterval', ms: '250' }],
    ['interval NaN', { type: 'setInterval', ms: NaN }],
    ['unknown export format', { type: 'exportTrace', format: 'xml' }],
    ['line 0', { type: 'openLocation', file: '/a.py', line: 0 }],
    ['empty file', { type: 'openLocation', file: '', line: 1 }],
    ['NUL in file', { type: 'openLocation', file: '/a\0.py', line: 1 }],
    ['huge file name', { type: 'openLocation', file: 'a'.repeat(5000), line: 1 }],
  ];
  for (const [why, raw] of refusedFromWebview) {
    it(`from webview: ${why}`, () => assert.equal(parseFromWebview(raw), undefined));
  }

  const refusedToWebview: [string, unknown][] = [
    ['columns of different lengths', { type: 'samples', samples: { ...columns, rss: [1] } }],
    ['time going backwards', { type: 'samples', samples: { ...columns, t: [3, 2, 1] } }],
    ['negative RSS', { type: 'samples', samples: { ...columns, rss: [-1, 1, 1] } }],
    ['fds below -1', { type: 'samples', samples: { ...columns, fds: [-2, 1, 1] } }],
    ['string in a column', { type: 'samples', samples: { ...columns, threads: ['4', 4, 4] } }],
    ['unknown verdict class', { type: 'verdict', verdict: { ...(goodToWebview[2] as { verdict: object }).verdict, class: 'leak' } }],
    ['confidence above 1', { type: 'verdict', verdict: { ...(goodToWebview[2] as { verdict: object }).verdict, confidence: 2 } }],
    ['unknown state', { type: 'state', state: 'zombie' }],
    ['unknown event kind', { type: 'event', event: { tMs: 1, kind: 'boom', label: '' } }],
    ['interval out of range in monitor', { type: 'monitor', monitor: { ...monitor, intervalMs: 0 } }],
    ['empty monitor id', { type: 'monitor', monitor: { ...monitor, id: '' } }],
    ['error text too long', { type: 'error', text: 'x'.repeat(20_000) }],
    ['limit name without a limit', { type: 'monitor', monitor: { ...monitor, limits: { memoryLabel: 'cgroup limit 256 MB' } } }],
    ['limit description without a limit', { type: 'monitor', monitor: { ...monitor, limits: { memoryDescription: 'the cgroup limit' } } }],
    ['empty limit name', { type: 'monitor', monitor: { ...monitor, limits: { memoryBytes: 1e6, memoryLabel: '' } } }],
    ['limit name too long for a chart label', { type: 'monitor', monitor: { ...monitor, limits: { memoryBytes: 1e6, memoryLabel: 'x'.repeat(121) } } }],
    ['limit name not a string', { type: 'init', ...(goodToWebview[0] as object), monitor: { ...monitor, limits: { memoryBytes: 1e6, memoryLabel: 42 } } }],
    ['limit description too long', { type: 'monitor', monitor: { ...monitor, limits: { memoryBytes: 1e6, memoryDescription: 'x'.repeat(20_000) } } }],
    ['decomposition parts of different lengths', { type: 'decomposition', decomposition: { ...decomposition, readings: { ...decomposition.readings, file: [1] } } }],
    ['decomposition missing a part', { type: 'decomposition', decomposition: { ...decomposition, readings: { ...decomposition.readings, swap: undefined } } }],
    ['negative anonymous bytes', { type: 'decomposition', decomposition: { ...decomposition, readings: { ...decomposition.readings, anon: [-1, 1] } } }],
    ['decomposition time going backwards', { type: 'decomposition', decomposition: { ...decomposition, readings: { ...decomposition.readings, t: [5, 1] } } }],
    ['unknown diagnosis kind', { type: 'decomposition', decomposition: { ...decomposition, diagnosis: { ...decomposition.diagnosis, kind: 'gremlins' } } }],
    ['evidence named like a prototype', { type: 'decomposition', decomposition: { ...decomposition, diagnosis: { ...decomposition.diagnosis, evidence: JSON.parse('{"__proto__": 1}') as object } } }],
    ['evidence that is not a number', { type: 'decomposition', decomposition: { ...decomposition, diagnosis: { ...decomposition.diagnosis, evidence: { rss_bytes: '1' } } } }],
    ['too much evidence', { type: 'decomposition', decomposition: { ...decomposition, diagnosis: { ...decomposition.diagnosis, evidence: Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`n${i}`, i])) } } }],
    ['a malformed decomposition in init', { ...goodToWebviewInit(), decomposition: { readings: decomposition.readings } }],
  ];
  for (const [why, raw] of refusedToWebview) {
    it(`to webview: ${why}`, () => assert.equal(parseToWebview(raw), undefined));
  }

  it('refuses packed columns with a bad entry, a wrong length or time going backwards', () => {
    const packed = (change: (samples: Record<string, Float64Array>) => void): unknown => {
      const message = packForPosting({ type: 'samples', samples: columns }) as { samples: Record<string, Float64Array> };
      change(message.samples);
      return message;
    };
    assert.notEqual(parseToWebview(packed(() => undefined)), undefined, 'the unchanged batch passes');
    const refused: [string, (s: Record<string, Float64Array>) => void][] = [
      ['NaN in a required column', (s) => (s.rss[1] = NaN)],
      ['an infinite size', (s) => (s.childrenRss[0] = Infinity)],
      ['a negative size', (s) => (s.rss[2] = -1)],
      ['a fraction of a thread', (s) => (s.threads[0] = 1.5)],
      ['fds below -1', (s) => (s.fds[0] = -2)],
      ['time going backwards', (s) => (s.t[2] = s.t[0] - 1)],
      ['NaN time', (s) => (s.t[0] = NaN)],
      ['a column shorter than the time column', (s) => (s.cpu = s.cpu.slice(1))],
      ['an optional column of the wrong length', (s) => (s.uss = new Float64Array(1))],
      ['a negative optional reading', (s) => (s.uss[0] = -5)],
      ['another typed array', (s) => ((s as Record<string, unknown>).rss = Int32Array.from(s.rss))],
    ];
    for (const [why, change] of refused) assert.equal(parseToWebview(packed(change)), undefined, why);
  });

  it('survives a hostile getter', () => {
    const hostile = Object.defineProperty({ type: 'setInterval' }, 'ms', {
      get() {
        throw new Error('gotcha');
      },
      enumerable: true,
    });
    assert.equal(parseFromWebview(hostile), undefined);
  });

  it('describes a rejected message briefly for the log', () => {
    assert.equal(describeRejected({ type: 'x'.repeat(100) }), `"${'x'.repeat(40)}"`);
    assert.equal(describeRejected(null), '(null)');
    assert.equal(describeRejected(42), '(number)');
  });
});

describe('protocol: fuzzing', () => {
  it('never throws on arbitrary JSON, and what it accepts is a known message', () => {
    const fromTypes = new Set<string>([...SIMPLE_ACTIONS, 'setInterval', 'exportTrace', 'openLocation']);
    fc.assert(
      fc.property(fc.jsonValue(), (raw) => {
        const from = parseFromWebview(raw);
        const to = parseToWebview(raw);
        parsePanelState(raw);
        if (from) assert.ok(fromTypes.has(from.type));
        if (to) assert.deepEqual(parseToWebview(JSON.parse(JSON.stringify(to))), to);
      }),
      { numRuns: 3000 },
    );
  });

  it('finds the type-shaped objects too: arbitrary fields under a real type', () => {
    const types = [...SIMPLE_ACTIONS, 'setInterval', 'exportTrace', 'openLocation', ...goodToWebview.map((m) => m.type)];
    const shaped = fc.record({
      type: fc.constantFrom(...types),
      ms: fc.oneof(fc.integer(), fc.double(), fc.string()),
      format: fc.oneof(fc.constantFrom('csv', 'json', 'xml'), fc.string()),
      file: fc.string(),
      line: fc.oneof(fc.integer(), fc.double()),
      state: fc.oneof(fc.constantFrom('running', 'paused'), fc.string()),
      text: fc.string(),
      samples: fc.jsonValue(),
      // A monitor whose limits are arbitrary: a name is only ever accepted with its line.
      monitor: fc.record({
        ...Object.fromEntries(Object.entries(monitor).map(([k, v]) => [k, fc.constant(v)])),
        limits: fc.record(
          {
            memoryBytes: fc.oneof(fc.nat(), fc.double(), fc.string()),
            memoryLabel: fc.oneof(fc.string({ maxLength: 150 }), fc.integer()),
            memoryDescription: fc.oneof(fc.string(), fc.constant(null)),
          },
          { requiredKeys: [] },
        ),
      }),
    });
    fc.assert(
      fc.property(shaped, (raw) => {
        const from = parseFromWebview(raw);
        if (from?.type === 'setInterval') assert.ok(Number.isInteger(from.ms) && from.ms >= 100 && from.ms <= 60_000);
        if (from?.type === 'openLocation') assert.ok(from.file.length > 0 && Number.isInteger(from.line) && from.line >= 1);
        if (from?.type === 'exportTrace') assert.ok(from.format === 'csv' || from.format === 'json');
        const to = parseToWebview(raw);
        if (to?.type === 'monitor') {
          const { memoryBytes, memoryLabel, memoryDescription } = to.monitor.limits;
          if (memoryLabel !== undefined) assert.ok(memoryBytes !== undefined && memoryLabel.length >= 1 && memoryLabel.length <= 120);
          if (memoryDescription !== undefined) assert.ok(memoryBytes !== undefined && typeof memoryDescription === 'string');
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('accepts every well-formed sample batch', () => {
    const sampleArb = fc.record({
      rssBytes: fc.nat(),
      threads: fc.nat({ max: 10_000 }),
      fds: fc.integer({ min: -1, max: 100_000 }),
      childrenRssBytes: fc.nat(),
      childCount: fc.nat({ max: 1000 }),
      cpuPercent: fc.double({ min: 0, max: 800, noNaN: true }),
      ussBytes: fc.option(fc.nat(), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(sampleArb, { maxLength: 50 }), (parts) => {
        const samples = parts.map((p, i) => ({ ...p, tMs: 1_700_000_000_000 + i * 1000, deltaBytes: 0 }));
        const message = { type: 'samples', samples: samplesToColumns(samples) };
        assert.deepEqual(parseToWebview(JSON.parse(JSON.stringify(message))), message);
      }),
    );
  });
});

describe('protocol: columns and state', () => {
  it('round-trips samples through columns, recomputing deltas', () => {
    const samples = [sample(0), sample(1, { ussBytes: 90e6, pssBytes: 95e6 }), sample(2)];
    assert.deepEqual(columnsToSamples(samplesToColumns(samples)), samples);
  });

  it('has no optional columns when no sample has the reading', () => {
    assert.deepEqual(Object.keys(samplesToColumns([sample(0)])).sort(), Object.keys(emptyColumns()).sort());
  });

  it('restores a saved panel state only of the current version', () => {
    const state: PanelState = {
      version: PROTOCOL_VERSION,
      monitor: { ...monitor, limits: { memoryBytes: 2 ** 31, memoryLabel: 'container limit 2 GiB', memoryDescription: "the container's 2 GiB memory limit" } },
      samples: columns,
      events: [],
      verdict: null,
      ui: { followLive: true, hiddenSeries: ['pss'] },
    };
    assert.deepEqual(parsePanelState(JSON.parse(JSON.stringify(state))), state);
    assert.equal(parsePanelState({ ...state, version: PROTOCOL_VERSION - 1 }), undefined);
    assert.equal(parsePanelState({ ...state, ui: { followLive: 'yes', hiddenSeries: [] } }), undefined);
  });
});
