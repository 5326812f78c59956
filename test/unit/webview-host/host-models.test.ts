// VS Code–free parts of the panel host: sample batching, the page's CSP, traces for the panel.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MemorySample, Trace } from '../../../src/core/model';
import { parseToWebview } from '../../../src/core/protocol';
import { makeNonce, panelHtml } from '../../../src/panel/html';
import { SampleBatcher, Timers } from '../../../src/panel/sampleBatcher';
import { panelMemoryLimit } from '../../../src/panel/memoryLimit';
import type { ApplicableLimit } from '../../../src/core/memory/applicableLimit';
import { OpenedTrace, comparisonFromOpened, comparisonFromTrace, openedTrace, traceColumns, traceDescriptor, traceFromColumns, traceProblem } from '../../../src/panel/traceView';
import { columnsOf } from '../../../src/core/trace/stream';
import { PANEL_MAX_SAMPLES } from '../../../src/core/shared/thin';

function sample(i: number): MemorySample {
  return { tMs: 1_700_000_000_000 + i * 1000, rssBytes: 1e8 + i, deltaBytes: i === 0 ? 0 : 1, threads: 2, fds: 5, childrenRssBytes: 0, childCount: 0, cpuPercent: 0 };
}

class FakeTimers implements Timers {
  callbacks = new Map<number, () => void>();
  private next = 0;
  setTimeout(callback: () => void): unknown {
    this.callbacks.set(++this.next, callback);
    return this.next;
  }
  clearTimeout(handle: unknown): void {
    this.callbacks.delete(handle as number);
  }
  fire(): void {
    const due = [...this.callbacks.values()];
    this.callbacks.clear();
    for (const f of due) f();
  }
}

describe('SampleBatcher', () => {
  it('sends one batch per delay, in order, with one timer at a time', () => {
    const timers = new FakeTimers();
    const sent: number[][] = [];
    const batcher = new SampleBatcher((b) => sent.push(b.map((s) => s.tMs)), 300, timers);
    batcher.add([sample(0)]);
    batcher.add([sample(1), sample(2)]);
    assert.equal(timers.callbacks.size, 1);
    timers.fire();
    batcher.add([sample(3)]);
    timers.fire();
    assert.deepEqual(sent, [[sample(0).tMs, sample(1).tMs, sample(2).tMs], [sample(3).tMs]]);
  });

  it('flushes early on demand and discards when the webview is gone', () => {
    const timers = new FakeTimers();
    const sent: MemorySample[][] = [];
    const batcher = new SampleBatcher((b) => sent.push(b), 300, timers);
    batcher.add([sample(0)]);
    batcher.flushNow();
    assert.equal(sent.length, 1);
    assert.equal(timers.callbacks.size, 0);
    batcher.add([sample(1)]);
    batcher.discard();
    timers.fire();
    assert.equal(sent.length, 1);
    assert.equal(batcher.pendingCount, 0);
    batcher.flushNow();
    assert.equal(sent.length, 1, 'nothing pending, nothing sent');
  });
});

describe('panel HTML', () => {
  const html = panelHtml({ cspSource: 'https://x.vscode-cdn.net', nonce: 'N0nce', scriptUri: 'https://x/webview.js', styleUri: 'https://x/webview.css', codiconsUri: 'https://x/codicon.css', title: '<b>' });

  it('denies everything by default and allows scripts only by nonce', () => {
    const csp = /Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
    assert.match(csp, /^default-src 'none'; /);
    assert.match(csp, /script-src 'nonce-N0nce'(;|$)/);
    assert.match(csp, /style-src https:\/\/x\.vscode-cdn\.net 'nonce-N0nce'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
    assert.match(html, /<script nonce="N0nce" src="https:\/\/x\/webview\.js"><\/script>/);
    assert.match(html, /id="leakscope-panel"/);
    assert.match(html, /id="vscode-codicon-stylesheet"/);
    assert.match(html, /<title>&lt;b&gt;<\/title>/);
  });

  it('makes unguessable nonces', () => {
    const a = makeNonce();
    assert.match(a, /^[A-Za-z0-9_-]{22}$/);
    assert.notEqual(a, makeNonce());
  });
});

/** A trace as the panel holds it once opened (what readTraceColumns with its readings gives for a file). */
function opened(trace: Trace): OpenedTrace {
  return openedTrace(columnsOf(trace, { readings: true }));
}

describe('traces for the panel', () => {
  const trace: Trace = { pid: 7, command: 'python x.py', samples: [0, 1, 2, 3].map(sample), events: [{ tMs: sample(1).tMs, kind: 'note', label: 'x'.repeat(2000) }] };

  it('describes a recording and passes the webview validation', () => {
    const monitor = traceDescriptor(opened(trace), 'trace-1', 'run.csv');
    assert.equal(monitor.kind, 'trace');
    assert.equal(monitor.intervalMs, 1000);
    assert.equal(monitor.startedMs, trace.samples[0].tMs);
    const comparison = comparisonFromTrace(trace, 'run.csv');
    assert.equal(comparison.events[0].label.length, 500, 'long labels are cut to the protocol limit');
    assert.deepEqual(comparisonFromOpened(opened(trace), 'run.csv'), comparison, 'an opened file and samples in memory are drawn alike');
    assert.ok(parseToWebview({ type: 'init', monitor, samples: opened(trace).samples, events: [], verdict: null, probe: null, comparison }));
    assert.equal(traceProblem(opened(trace)), undefined);
  });

  it('judges an opened recording whole: a 10-minute steady rise is a leak, and the verdict passes the webview validation', () => {
    const rising: Trace = {
      samples: Array.from({ length: 600 }, (_, i) => ({ ...sample(i), rssBytes: 2e8 + i * 2e6 + (i % 7) * 1e5 })),
      events: [],
    };
    const { verdict } = opened(rising);
    assert.match(verdict.class, /leak/);
    assert.ok(verdict.slopeBytesPerS > 1.5e6 && verdict.slopeBytesPerS < 2.5e6, String(verdict.slopeBytesPerS));
    const monitor = traceDescriptor(opened(rising), 'trace-2', 'rising.csv');
    assert.ok(parseToWebview({ type: 'init', monitor, samples: opened(rising).samples, events: [], verdict, probe: null, comparison: null }));
    assert.equal(opened(trace).verdict.class, 'unknown', 'four seconds say nothing yet');
  });

  it('round-trips what it shows back into a trace for export', () => {
    const monitor = traceDescriptor(opened(trace), 'trace-1', 'run.csv');
    const back = traceFromColumns(opened(trace).samples, trace.events, monitor);
    assert.deepEqual(back.samples, trace.samples);
    assert.equal(back.pid, 7);
  });

  it('thins a huge trace to what the webview keeps', () => {
    const big: Trace = { samples: Array.from({ length: PANEL_MAX_SAMPLES + 5000 }, (_, i) => sample(i)), events: [] };
    assert.ok(traceColumns(big).t.length <= PANEL_MAX_SAMPLES);
    assert.deepEqual(opened(big).samples, traceColumns(big), 'typed columns thin as samples do');
    assert.match(traceDescriptor(opened(big), 'trace-2', 'big.csv').summary ?? '', /thinned/);
  });

  it('explains what the panel cannot show', () => {
    assert.match(traceProblem(opened({ samples: [], events: [] })) ?? '', /no samples/);
    assert.match(traceProblem(opened({ samples: [{ ...sample(0), threads: 1.5 }], events: [] })) ?? '', /out of range/);
  });
});

describe('the limit a live panel shows', () => {
  const cgroup: ApplicableLimit = {
    bytes: 250e6,
    limitBytes: 256 * 2 ** 20,
    source: 'cgroup-v2-max',
    description: "the cgroup's 256 MB memory limit (the OOM killer stops it there), memory.max of /user.slice/app",
    label: 'cgroup limit 256 MB',
  };

  it("carries the core's name of the limit that applies, at the RSS where it is hit", () => {
    const limits = panelMemoryLimit(cgroup, 600e6);
    assert.deepEqual(limits, { memoryBytes: 250e6, memoryLabel: 'cgroup limit 256 MB', memoryDescription: cgroup.description });
  });

  it("falls back to the user's number, unnamed, and to nothing", () => {
    assert.deepEqual(panelMemoryLimit(undefined, 600e6), { memoryBytes: 600e6 });
    assert.deepEqual(panelMemoryLimit(undefined, undefined), {});
  });

  it('cuts a name too long for the protocol instead of losing the line', () => {
    const long = { ...cgroup, label: `cgroup limit ${'x'.repeat(300)}`, description: 'y'.repeat(20_000) };
    const monitor = { ...traceDescriptor(opened({ samples: [sample(0)], events: [] }), 'live-1', 'x'), kind: 'live' as const, limits: panelMemoryLimit(long, undefined) };
    const parsed = parseToWebview({ type: 'monitor', monitor });
    assert.ok(parsed?.type === 'monitor');
    assert.equal(parsed.monitor.limits.memoryBytes, 250e6);
    assert.ok(parsed.monitor.limits.memoryLabel?.startsWith('cgroup limit '));
  });
});
