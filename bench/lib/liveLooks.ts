// A trace replayed as a live session runs it (WatchSession's cadence of looks), read at each look:
// the shown verdict and what it rests on. Shared by the classifier bench (live reliability, "ever
// alarmed") and the live calibration's fit (bench/tools/fitLiveCalibration.ts).
import { GrowthClassifier, GrowthClassifierOptions } from '../../src/core/classifier';
import type { Analysis } from '../../src/core/classifier';
import { isLeakClass } from '../../src/core/model';
import { LEAK_NOTIFY_CONFIDENCE, QUIET_LOOK_INTERVAL_MS } from '../../src/core/session';
import type { LabelledTrace } from '../../test/unit/classifier/corpus';

/** The classifier as a live session (WatchSession) runs it: fewer looks while nothing new is seen. */
export const SESSION_CADENCE: GrowthClassifierOptions = { quietLookIntervalMs: QUIET_LOOK_INTERVAL_MS };

export interface LiveLook {
  /** Seconds of data at the look. */
  atS: number;
  /** The shown verdict's analysis (its class, raw probability and evidence). */
  analysis: Analysis;
  /** The confidence the session states (live-calibrated). */
  confidence: number;
  /** The shown class is the trace's label. */
  right: boolean;
  leak: boolean;
}

/** Every look at which the shown verdict was decided (not "unknown"). */
export function replayLooks(trace: LabelledTrace, options: GrowthClassifierOptions = SESSION_CADENCE): LiveLook[] {
  const c = new GrowthClassifier(options);
  const looks: LiveLook[] = [];
  let looksSeen = 0;
  for (let i = 0; i < trace.tMs.length; i++) {
    c.push(trace.tMs[i], trace.rssBytes[i]);
    if (c.lookCount === looksSeen) continue;
    looksSeen = c.lookCount;
    const analysis = c.shownAnalysis();
    if (analysis.class === 'unknown') continue;
    const atS = (trace.tMs[i] - trace.tMs[0]) / 1000;
    looks.push({ atS, analysis, confidence: c.verdict().confidence, right: analysis.class === trace.label, leak: isLeakClass(analysis.class) });
  }
  return looks;
}

/** Seconds of data at the first look showing a leak at least `bar` sure (0: any leak; Infinity: never). */
export function firstLeakAt(looks: readonly LiveLook[], bar: number): number {
  return looks.find((l) => l.leak && l.confidence >= bar)?.atS ?? Infinity;
}

/** The shipped alert bar and a few others, to show what moving it would cost and buy. */
export const ALERT_BARS = [...new Set([LEAK_NOTIFY_CONFIDENCE, 0.25, 0.5, 0.8, 0.9])].sort((a, b) => a - b);
