// The demo controller plays a leaking trace into the panel without a process.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MemorySample } from '../../../src/core/model';
import { parseToWebview } from '../../../src/core/protocol';
import { DEMO_MONITOR_ID, DemoPanelController } from './fixtures/demoController';

describe('DemoPanelController', () => {
  it('has a history, plays new samples in time order, and stops when disposed', async () => {
    const demo = new DemoPanelController(600);
    const snapshot = demo.getSnapshot(DEMO_MONITOR_ID);
    assert.equal(snapshot?.samples.t.length, 600);
    const init = { type: 'init', monitor: snapshot?.monitor, samples: snapshot?.samples, events: snapshot?.events, verdict: null, probe: null, comparison: null };
    assert.ok(parseToWebview(init), 'its snapshot is a valid init message');
    const played: MemorySample[] = [];
    demo.onSamples(({ value }) => played.push(...value));
    demo.setIntervalMs(DEMO_MONITOR_ID, 100);
    await new Promise((resolve) => setTimeout(resolve, 450));
    demo.dispose();
    const count = played.length;
    assert.ok(count >= 2, `${count} samples`);
    assert.ok(played.every((s, i) => i === 0 || s.tMs > played[i - 1].tMs));
    await new Promise((resolve) => setTimeout(resolve, 250));
    assert.equal(played.length, count, 'no samples after dispose');
  });

  it('answers actions with events and states', () => {
    const demo = new DemoPanelController(10);
    const kinds: string[] = [];
    const states: string[] = [];
    demo.onEvent(({ value }) => kinds.push(value.kind));
    demo.onState(({ value }) => states.push(value.state));
    demo.runGc();
    demo.markFixApplied();
    demo.pause();
    demo.resume();
    demo.detach();
    demo.dispose();
    assert.deepEqual(kinds, ['gc', 'fix-applied']);
    assert.deepEqual(states, ['paused', 'running', 'detached']);
  });
});
