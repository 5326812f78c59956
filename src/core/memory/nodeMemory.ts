// A live Node process's own view of its memory, through its inspector (opened with SIGUSR1
// after consent, and closed again, by the deep probe's session): process.memoryUsage() and V8's
// heap statistics, whose heap_size_limit is a limit that applies to the process.
import { NodeOpenOptions } from '../probe/nodeInspector';
import { withSession } from '../probe/nodeProbe';

export interface NodeMemoryView {
  rssBytes: number;
  /** Live JS objects (after the last GC, plus garbage not yet collected). */
  heapUsedBytes: number;
  heapTotalBytes: number;
  /** Memory of C++ objects bound to JS ones: Buffers, ArrayBuffers, addons. */
  externalBytes: number;
  arrayBuffersBytes: number;
  /** V8's limit on the heap (--max-old-space-size or its default). */
  heapSizeLimitBytes: number;
  mallocedBytes: number;
  peakMallocedBytes: number;
  durationMs: number;
}

// Evaluated in the target: plain numbers only, so the value returns as JSON.
const READ_MEMORY =
  '(function (v8) { const m = process.memoryUsage(); const h = v8.getHeapStatistics();' +
  ' return { rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers,' +
  ' heapSizeLimit: h.heap_size_limit, malloced: h.malloced_memory, peakMalloced: h.peak_malloced_memory }; })(require("v8"))';

function num(r: Record<string, unknown> | undefined, key: string): number {
  const v = r?.[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

export function parseNodeMemory(value: unknown, durationMs: number): NodeMemoryView {
  const r = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  return {
    rssBytes: num(r, 'rss'),
    heapUsedBytes: num(r, 'heapUsed'),
    heapTotalBytes: num(r, 'heapTotal'),
    externalBytes: num(r, 'external'),
    arrayBuffersBytes: num(r, 'arrayBuffers'),
    heapSizeLimitBytes: num(r, 'heapSizeLimit'),
    mallocedBytes: num(r, 'malloced'),
    peakMallocedBytes: num(r, 'peakMalloced'),
    durationMs,
  };
}

/**
 * Readings at the start and the end of `windowMs`, on one inspector session (opening it twice
 * would print "Debugger listening" twice). `onTick` runs between them, e.g. to sample /proc.
 */
export async function readNodeMemoryWindow(pid: number, windowMs: number, open: NodeOpenOptions = {}, onTick?: () => void): Promise<{ first: NodeMemoryView; last: NodeMemoryView; notes: string[] }> {
  const { value, notes } = await withSession(pid, open, async (session) => {
    const read = async () => {
      const started = Date.now();
      // Collected first: heapUsed then counts live objects, not garbage waiting for the GC.
      await session.collectGarbage();
      return parseNodeMemory(await session.evaluateValue(READ_MEMORY), Date.now() - started);
    };
    const first = await read();
    const end = Date.now() + windowMs;
    while (Date.now() < end) {
      if (open.signal?.aborted) break;
      onTick?.();
      await new Promise((resolve) => setTimeout(resolve, Math.min(1000, Math.max(0, end - Date.now()))));
    }
    return { first, last: await read() };
  });
  return { ...value, notes };
}
