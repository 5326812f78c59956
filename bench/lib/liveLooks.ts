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
  /**
   * Seconds of trace this statement stays shown: until the next look (of any class) or the
   * trace's end. What a user sees is each statement for this long; a cadence that restates a
   * steady verdict more often counts it more often per look, not longer.
   */
  shownS: number;
}

/** Every look at which the shown verdict was decided (not "unknown"). */
export function replayLooks(trace: LabelledTrace, options: GrowthClassifierOptions = SESSION_CADENCE): LiveLook[] {
  const c = new GrowthClassifier(options);
  const looks: LiveLook[] = [];
  let looksSeen = 0;
  let showing: LiveLook | undefined;
  const secondsAt = (i: number): number => (trace.tMs[i] - trace.tMs[0]) / 1000;
  for (let i = 0; i < trace.tMs.length; i++) {
    c.push(trace.tMs[i], trace.rssBytes[i]);
    if (c.lookCount === looksSeen) continue;
    looksSeen = c.lookCount;
    const atS = secondsAt(i);
    if (showing) showing.shownS = atS - showing.atS;
    showing = undefined;
    const analysis = c.shownAnalysis();
    if (analysis.class === 'unknown') continue;
    showing = { atS, analysis, confidence: c.verdict().confidence, right: analysis.class === trace.label, leak: isLeakClass(analysis.class), shownS: 0 };
    looks.push(showing);
  }
  if (showing) showing.shownS = secondsAt(trace.tMs.length - 1) - showing.atS;
  return looks;
}

/** Seconds of data at the first look showing a leak at least `bar` sure (0: any leak; Infinity: never). */
export function firstLeakAt(looks: readonly LiveLook[], bar: number): number {
  return looks.find((l) => l.leak && l.confidence >= bar)?.atS ?? Infinity;
}

/** The shipped alert bar and a few others, to show what moving it would cost and buy. */
export const ALERT_BARS = [...new Set([LEAK_NOTIFY_CONFIDENCE, 0.25, 0.5, 0.8, 0.9])].sort((a, b) => a - b);

/**
 * Expected calibration error over ten bins of stated confidence, each verdict counted by `weight`
 * (1 each by default; a live look's `shownS` for the error per second shown).
 */
export function weightedCalibrationError<T extends { confidence: number; right: boolean }>(verdicts: readonly T[], weight: (verdict: T) => number = () => 1): number {
  const bins = Array.from({ length: 10 }, () => ({ w: 0, right: 0, stated: 0 }));
  let total = 0;
  for (const v of verdicts) {
    const w = weight(v);
    const b = bins[Math.min(9, Math.floor(v.confidence * 10))];
    b.w += w;
    b.stated += w * v.confidence;
    if (v.right) b.right += w;
    total += w;
  }
  return bins.reduce((sum, b) => (b.w > 0 ? sum + (b.w / total) * Math.abs(b.right / b.w - b.stated / b.w) : sum), 0);
}
