// A PanelController fed by synthetic data, for developing and demonstrating the panel before
// (or without) a real process: like vscode-js-profile-visualizer's realtimeTestData. It plays
// a leaking GC sawtooth, one sample per interval, and answers every action with an event.
import { DisposableStore, EventEmitter } from '../core/events';
import { GrowthVerdict, MemorySample, MonitorEvent, MonitorEventKind } from '../core/model';
import { MonitorDescriptor, MonitorState, ProbeReport, columnsToSamples } from '../core/protocol';
import { syntheticTrace } from '../../webview/model/synthetic';
import { MonitorSnapshot, MonitorUpdate, PanelController, SavedMonitor } from './types';

export const DEMO_MONITOR_ID = 'demo';

export class DemoPanelController implements PanelController {
  private readonly store = new DisposableStore();
  private readonly samples: MemorySample[];
  private readonly events: MonitorEvent[] = [];
  private monitor: MonitorDescriptor;
  private timer: ReturnType<typeof setInterval> | undefined;
  private next = 0;

  private readonly samplesEmitter = this.store.add(new EventEmitter<MonitorUpdate<readonly MemorySample[]>>());
  private readonly verdictEmitter = this.store.add(new EventEmitter<MonitorUpdate<GrowthVerdict | null>>());
  private readonly stateEmitter = this.store.add(new EventEmitter<MonitorUpdate<{ state: MonitorState; summary?: string }>>());
  private readonly eventEmitter = this.store.add(new EventEmitter<MonitorUpdate<MonitorEvent>>());
  private readonly probeEmitter = this.store.add(new EventEmitter<MonitorUpdate<ProbeReport>>());
  private readonly monitorEmitter = this.store.add(new EventEmitter<MonitorDescriptor>());
  readonly onSamples = this.samplesEmitter.event;
  readonly onVerdict = this.verdictEmitter.event;
  readonly onState = this.stateEmitter.event;
  readonly onEvent = this.eventEmitter.event;
  readonly onProbe = this.probeEmitter.event;
  readonly onMonitorChanged = this.monitorEmitter.event;

  /** Starts with `historySamples` already recorded, then plays one sample per interval. */
  constructor(historySamples = 3600, now = Date.now()) {
    const startMs = now - historySamples * 1000;
    this.samples = columnsToSamples(syntheticTrace({ samples: historySamples, startMs, leakBytesPerS: 24 * 1024 })).slice();
    this.next = historySamples;
    this.monitor = {
      id: DEMO_MONITOR_ID,
      kind: 'live',
      pid: 0,
      title: 'demo: leaking sawtooth',
      command: 'synthetic data (no process)',
      state: 'running',
      startedMs: startMs,
      limits: { memoryBytes: 2 * 2 ** 30 },
      intervalMs: 1000,
      warnAtFraction: 0.8,
    };
    this.events.push({ tMs: startMs, kind: 'attach', label: 'attached (demo)' });
    this.start();
  }

  getSnapshot(monitorId: string): MonitorSnapshot | undefined {
    return monitorId === DEMO_MONITOR_ID ? { monitor: this.monitor, samples: this.samples, events: this.events } : undefined;
  }

  pause(): void {
    this.stop();
    this.setState('paused');
  }
  resume(): void {
    this.start();
    this.setState('running');
  }
  detach(): void {
    this.stop();
    this.setState('detached', 'detached from the demo');
  }
  setIntervalMs(_id: string, ms: number): void {
    this.monitor = { ...this.monitor, intervalMs: ms };
    this.monitorEmitter.fire(this.monitor);
    if (this.timer) {
      this.stop();
      this.start();
    }
  }
  markFixApplied(): void {
    this.mark('fix-applied', 'fix applied');
  }
  runGc(): void {
    this.mark('gc', 'gc requested');
  }
  runMallocTrim(): void {
    this.mark('malloc-trim', 'malloc_trim(0)');
  }
  findGrowing(): void {
    this.mark('probe', 'probe (demo)');
    const probe: ProbeReport = {
      status: 'done',
      sites: [{ file: '/demo/server.py', line: 42, function: 'handle_request', bytes: 12 * 2 ** 20, count: 4096 }],
      notes: ['Demo data: no process was probed.'],
    };
    this.probeEmitter.fire({ monitorId: DEMO_MONITOR_ID, value: probe });
  }
  async reattach(saved: SavedMonitor): Promise<string | undefined> {
    return saved.monitorId === DEMO_MONITOR_ID ? DEMO_MONITOR_ID : undefined;
  }

  dispose(): void {
    this.stop();
    this.store.dispose();
  }

  private start(): void {
    this.timer ??= setInterval(() => this.tick(), this.monitor.intervalMs);
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private tick(): void {
    const last = this.samples[this.samples.length - 1];
    const [s] = columnsToSamples(syntheticTrace({ samples: this.next + 1, startMs: this.monitor.startedMs, leakBytesPerS: 24 * 1024 })).slice(-1);
    const sample = { ...s, tMs: Math.max(Date.now(), (last?.tMs ?? 0) + 1), deltaBytes: s.rssBytes - (last?.rssBytes ?? s.rssBytes) };
    this.next++;
    this.samples.push(sample);
    this.samplesEmitter.fire({ monitorId: DEMO_MONITOR_ID, value: [sample] });
  }

  private setState(state: MonitorState, summary?: string): void {
    this.monitor = { ...this.monitor, state, ...(summary ? { summary } : {}) };
    this.stateEmitter.fire({ monitorId: DEMO_MONITOR_ID, value: { state, ...(summary ? { summary } : {}) } });
  }

  private mark(kind: MonitorEventKind, label: string): void {
    const event = { tMs: Date.now(), kind, label };
    this.events.push(event);
    this.eventEmitter.fire({ monitorId: DEMO_MONITOR_ID, value: event });
  }
}
