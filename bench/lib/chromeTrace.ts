// CPU time from a Chromium trace (Playwright's browser.startTracing): on a loaded 2-core machine a
// first paint's wall time swings with the other processes, while the thread time the renderer
// spent between two performance marks does not wait on them.

/** The trace categories that carry what cpuBetweenMarks reads. */
export const CPU_TRACE_CATEGORIES = ['toplevel', 'blink.user_timing', '__metadata'];

interface TraceEvent {
  pid: number;
  tid: number;
  ph: string;
  name: string;
  cat?: string;
  ts: number;
  /** Thread time (CPU) at the event, and for a complete event its thread duration. */
  tts?: number;
  dur?: number;
  tdur?: number;
}

export interface CpuTime {
  /** CPU time of the page's main thread (script, style, layout, paint, canvas). */
  mainMs: number;
  /** CPU time of the renderer's other threads (garbage collection, compositor, raster, compiling). */
  otherThreadsMs: number;
}

/** The outermost task of a thread's loop: each CPU moment of a worker thread is in one of these. */
const TOP_LEVEL_TASKS = new Set(['ThreadControllerImpl::RunTask', 'ThreadPool_RunTask']);

/**
 * CPU time of the renderer that made the marks, between `startMark` and `endMark` (both marked on
 * its main thread): the main thread's from the marks' thread clocks; the other threads' from the
 * top-level tasks that ended after the start and began before the end.
 */
export function cpuBetweenMarks(trace: { traceEvents: TraceEvent[] } | TraceEvent[], startMark: string, endMark: string): CpuTime | undefined {
  const events = Array.isArray(trace) ? trace : trace.traceEvents;
  const mark = (name: string): TraceEvent | undefined => events.find((e) => e.name === name && e.cat?.includes('blink.user_timing'));
  const start = mark(startMark);
  const end = mark(endMark);
  if (start?.tts === undefined || end?.tts === undefined) return undefined;
  let otherUs = 0;
  for (const e of events) {
    if (e.pid !== start.pid || e.tid === start.tid || e.ph !== 'X' || !TOP_LEVEL_TASKS.has(e.name) || e.tdur === undefined) continue;
    if (e.ts + (e.dur ?? 0) >= start.ts && e.ts <= end.ts) otherUs += e.tdur;
  }
  return { mainMs: (end.tts - start.tts) / 1000, otherThreadsMs: otherUs / 1000 };
}

/**
 * CPU time of the marking thread in each interval from a `startMark` to the next `endMark`, in
 * the order they were marked: per-update times that the machine's other processes do not inflate.
 */
export function cpuOfIntervals(trace: { traceEvents: TraceEvent[] } | TraceEvent[], startMark: string, endMark: string): number[] {
  const events = Array.isArray(trace) ? trace : trace.traceEvents;
  const marks = events.filter((e) => (e.name === startMark || e.name === endMark) && e.cat?.includes('blink.user_timing') && e.tts !== undefined).sort((a, b) => a.ts - b.ts);
  const out: number[] = [];
  let start: TraceEvent | undefined;
  for (const mark of marks) {
    if (mark.name === startMark) start = mark;
    else if (start?.tts !== undefined && mark.tts !== undefined) {
      out.push((mark.tts - start.tts) / 1000);
      start = undefined;
    }
  }
  return out;
}
