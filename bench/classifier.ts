// Growth classifier: accuracy on both halves of the corpus (tuning, and evaluation built apart
// from tuning), calibration of the stated confidence, agreement of the online verdict with the
// whole-file verdict, time to a correct leak verdict, and the cost per sample.
// Targets (issue 12): ≥ 95% whole-file accuracy on the evaluation half, no leak verdict on a
// non-leak trace, ≤ 2% "unknown" on traces of ≥ 30 min, expected calibration error ≤ 0.05,
// online final = whole-file on ≥ 95% of all traces, a 1 MB/min leak on 500 MB ±5 MB at 1 Hz
// called within 10 min and an 80 MB/min leak under a 60 MB sawtooth within 45 s.
// `node out/bench/classifier.js --fit-calibration` prints the calibration table (calibration.ts)
// fitted on the tuning half. `--tuning-only` leaves the evaluation half out entirely (not even
// generated): for the measuring done while tuning, so that its aggregates are read only at the
// start and the end. The tuning half's spec-written set (test/corpus/traces/tune-spec, when
// present, and the second such set, tune-spec2) is generated into a temporary folder as the
// evaluation's is, and reported alone too.
// `--accuracy-only` skips the timings and the cost (the accuracy figures need no quiet machine).
// Live verdicts (the tuning half only): "ever alarmed", the share of non-leak traces on which a
// live session's replay showed a leak at any moment, per label and on generated wander, and the
// reliability of the live verdict at each look. `--live-only` prints these alone, `--no-live` skips them.
import { performance } from 'node:perf_hooks';
import { GrowthClassifier, GrowthClassifierOptions, analyzeSeries } from '../src/core/classifier';
import type { Analysis } from '../src/core/classifier';
import { LEAK_NOTIFY_CONFIDENCE, QUIET_LOOK_INTERVAL_MS, WARM_UP_MS, isLeakAlert } from '../src/core/session';
import { GrowthVerdict, isLeakClass } from '../src/core/model';
import { LabelledTrace, confusion, formatConfusion } from '../test/unit/classifier/corpus';
import { corpusHalves } from '../test/unit/classifier/halves';
import { mulberry32 as rng } from '../src/core/random';
import { generate } from '../test/unit/classifier/synthetic';
import { FOLDS, crossValidated, foldOf, samplesOf } from './lib/liveFit';
import { ALERT_BARS, LiveLook, SESSION_CADENCE, firstLeakAt, replayLooks, weightedCalibrationError } from './lib/liveLooks';

const MB = 1024 * 1024;
let missed = false;

function target(ok: boolean, text: string): void {
  console.log(`${ok ? 'ok    ' : 'MISSED'} ${text}`);
  if (!ok) missed = true;
}

/** A figure printed beside the targets, for reading only (a subset's: the targets are the halves'). */
function figure(ok: boolean, text: string): void {
  console.log(`${ok ? 'within' : 'beyond'} ${text}`);
}


function onlineFinal(t: LabelledTrace, options: GrowthClassifierOptions = {}): GrowthVerdict {
  const c = new GrowthClassifier(options);
  for (let i = 0; i < t.tMs.length; i++) c.push(t.tMs[i], t.rssBytes[i]);
  return c.verdict();
}

interface Judged {
  trace: LabelledTrace;
  file: Analysis;
  online: GrowthVerdict;
  /** The same with a live session's cadence of looks. */
  session: GrowthVerdict;
}

function judge(traces: readonly LabelledTrace[]): Judged[] {
  return traces.map((trace) => ({ trace, file: analyzeSeries(trace.tMs, trace.rssBytes), online: onlineFinal(trace), session: onlineFinal(trace, SESSION_CADENCE) }));
}

/** 80–130 s sampled at about 10 Hz: the issue's short dense traces. */
function isShortDense(t: LabelledTrace): boolean {
  const n = t.tMs.length;
  const spanS = (t.tMs[n - 1] - t.tMs[0]) / 1000;
  return spanS >= 80 && spanS <= 130 && spanS / Math.max(n - 1, 1) <= 0.15;
}

function spanMinutes(t: LabelledTrace): number {
  return (t.tMs[t.tMs.length - 1] - t.tMs[0]) / 60_000;
}

/** A decided verdict: the confidence it stated, and whether its class was the trace's label. */
interface Stated {
  confidence: number;
  right: boolean;
  leak?: boolean;
  /** How much this verdict counts (default 1: each alike); a live look's seconds shown for the per-time figure. */
  weight?: number;
}

/** Reliability per decile of stated confidence, over decided verdicts; ECE = Σ (n_b/N)·|acc_b − conf_b|. */
function reliability(judged: readonly Judged[]): { table: string; ece: number; decided: number } {
  return reliabilityOf(judged.filter((j) => j.file.class !== 'unknown').map((j) => ({ confidence: j.file.confidence, right: j.file.class === j.trace.label })));
}

function reliabilityOf(verdicts: readonly Stated[]): { table: string; ece: number; decided: number } {
  const bins = Array.from({ length: 10 }, () => ({ n: 0, right: 0, confidence: 0 }));
  const decided = verdicts.length;
  for (const v of verdicts) {
    const b = bins[Math.min(9, Math.floor(v.confidence * 10))];
    b.n++;
    b.confidence += v.confidence;
    if (v.right) b.right++;
  }
  const lines = ['  stated confidence   verdicts   right   mean stated   observed'];
  bins.forEach((b, i) => {
    if (b.n === 0) return;
    const stated = b.confidence / b.n;
    const observed = b.right / b.n;
    lines.push(`  ${`${i * 10}–${i * 10 + 10}%`.padEnd(19)} ${String(b.n).padStart(8)} ${String(b.right).padStart(7)} ${(100 * stated).toFixed(1).padStart(12)}% ${(100 * observed).toFixed(1).padStart(9)}%`);
  });
  return { table: lines.join('\n'), ece: weightedCalibrationError(verdicts), decided };
}

function report(name: string, traces: readonly LabelledTrace[], strict: boolean): Judged[] {
  if (traces.length === 0) {
    console.log(`\n== ${name}: no traces`);
    return [];
  }
  const judged = judge(traces);
  reportJudged(name, judged, strict, !strict);
  return judged;
}

/**
 * Prints a half's figures; `details` names its wrong verdicts (never for the evaluation half). A
 * subset (`details` off on the tuning half) prints its figures beside the targets without
 * failing the bench: the targets are the halves'.
 */
function reportJudged(name: string, judged: readonly Judged[], strict: boolean, details: boolean): void {
  const check = strict || details ? target : figure;
  const traces = judged.map((j) => j.trace);
  const real = traces.filter((t) => t.source === 'real').length;
  console.log(`\n== ${name}: ${traces.length} traces (${real} real recordings)`);
  const files = confusion(judged.map((j) => ({ trace: j.trace, verdict: j.file })));
  console.log('Whole-file verdict (what `leakscope classify` prints):');
  console.log(formatConfusion(files));
  // Evaluation cases are never looked at one by one: only their aggregate figures are printed.
  if (details) for (const w of files.wrong) console.log(`  wrong: ${w.trace.name} (${w.trace.label}, ${spanMinutes(w.trace).toFixed(1)} min) → ${w.verdict.explanation}`);
  const long = judged.filter((j) => spanMinutes(j.trace) >= 30 && j.trace.label !== 'unknown');
  const longUnknown = long.filter((j) => j.file.class === 'unknown').length;
  const agree = judged.filter((j) => j.online.class === j.file.class).length;
  const rel = reliability(judged);
  console.log(`Reliability of the stated confidence (${rel.decided} decided verdicts):`);
  console.log(rel.table);
  const realOnly = confusion(judged.filter((j) => j.trace.source === 'real').map((j) => ({ trace: j.trace, verdict: j.file })));
  const synthetic = files.total - realOnly.total;
  console.log(`real recordings alone: ${realOnly.correct}/${realOnly.total} right; synthetic alone: ${files.correct - realOnly.correct}/${synthetic} right`);
  const accuracy = files.correct / files.total;
  const tag = strict ? '' : ' (tuning half: a regression floor)';
  check(!strict || accuracy >= 0.95, `${name}: whole-file accuracy ${(100 * accuracy).toFixed(1)}% (target ≥ 95% on the evaluation half)${tag}`);
  check(files.falseLeaks.length === 0, `${name}: leak verdicts on non-leak traces: ${files.falseLeaks.length} (target 0)`);
  check(longUnknown <= 0.02 * Math.max(long.length, 1), `${name}: "unknown" on traces ≥ 30 min: ${longUnknown} of ${long.length} (target ≤ 2%)`);
  check(rel.ece <= 0.05, `${name}: expected calibration error ${rel.ece.toFixed(3)} (target ≤ 0.05)`);
  console.log(`       ${name}: online final verdict = whole-file verdict on ${agree}/${judged.length} (${((100 * agree) / judged.length).toFixed(1)}%)`);
  if (details) for (const j of judged) if (j.online.class !== j.file.class) console.log(`  online ≠ file: ${j.trace.name}: online ${j.online.class}, file ${j.file.class}`);
}

function accuracy(): Judged[] {
  const tuningOnly = process.argv.includes('--tuning-only');
  const halves = corpusHalves(60, { tuningOnly });
  for (const note of halves.notes) console.log(`corpus: ${note}`);
  const tune = report('tuning half', halves.tune, false);
  // The tuning half's spec-written set on its own too: the kind of set the evaluation half is.
  const tuneSpec = tune.filter((j) => j.trace.name.startsWith('tune-spec/'));
  if (tuneSpec.length) reportJudged('tuning half, tune-spec set alone', tuneSpec, false, false);
  const tuneSpec2 = tune.filter((j) => j.trace.name.startsWith('tune-spec2/'));
  if (tuneSpec2.length) reportJudged('tuning half, tune-spec2 set alone', tuneSpec2, false, false);
  // Issue 12: "a 90–120 s trace at 10 Hz of each clear shape gets a verdict, not unknown".
  const tuneDense = tune.filter((j) => isShortDense(j.trace));
  if (tuneDense.length) reportJudged('tuning half, short dense traces alone', tuneDense, false, false);
  const evaluation = tuningOnly ? [] : report('evaluation half', halves.evaluation, true);
  const evaluationDense = evaluation.filter((j) => isShortDense(j.trace));
  if (evaluationDense.length) reportJudged('evaluation half, short dense traces alone', evaluationDense, false, false);
  const all = [...tune, ...evaluation];
  const agree = all.filter((j) => j.online.class === j.file.class).length;
  console.log('');
  target(agree >= 0.95 * all.length, `online final = whole-file verdict on ${((100 * agree) / all.length).toFixed(1)}% of all ${all.length} traces (target ≥ 95%)`);
  const sessionAgree = all.filter((j) => j.session.class === j.file.class).length;
  const sessionDiffers = all.filter((j) => j.session.class !== j.online.class).length;
  target(sessionAgree >= 0.95 * all.length, `the same with a live session's cadence (looks ${QUIET_LOOK_INTERVAL_MS / 1000} s apart while nothing new is seen): ${((100 * sessionAgree) / all.length).toFixed(1)}%; its final verdict differs from the plain online one on ${sessionDiffers} of ${all.length}`);
  return tune;
}

/** A trace replayed as a live session runs it, read at each look (the shown verdict changes only then). */
interface LiveReplay {
  trace: LabelledTrace;
  looks: LiveLook[];
}

function replayLive(trace: LabelledTrace, options: GrowthClassifierOptions = SESSION_CADENCE): LiveReplay {
  return { trace, looks: replayLooks(trace, options) };
}


/**
 * Pure mean-reverting wander (Ornstein–Uhlenbeck, as the tuning corpus's "wander-hours" draws:
 * sd 0.5–1.5% of a 300 MB–4 GB level, time constant 10–30 min, 2–6 h): flat, however much a
 * stretch shorter than the time constant looks like growth. Seeded; generated here, in no half.
 */
function wanderTraces(count: number, seed: number): LabelledTrace[] {
  const random = rng(seed);
  const between = (lo: number, hi: number): number => lo + (hi - lo) * random();
  const logBetween = (lo: number, hi: number): number => Math.exp(between(Math.log(lo), Math.log(hi)));
  return Array.from({ length: count }, (_, i) => {
    const levelBytes = logBetween(300 * MB, 4000 * MB);
    const intervalS = [1, 2, 5][Math.floor(3 * random())];
    const spec = { durationS: between(2, 6) * 3600, intervalS, levelBytes, noiseSigmaBytes: levelBytes * logBetween(0.0003, 0.002), wander: { sdBytes: levelBytes * between(0.005, 0.015), tauS: between(10, 30) * 60 } };
    return { name: `wander/${i}`, label: 'flat', source: 'synthetic', ...generate(spec, seed + i) };
  });
}

/**
 * "Ever alarmed": the share of non-leak traces on which a live session showed a leak class at
 * any look, and would have alerted (isLeakAlert), per label; then the live verdicts at every look
 * against the label, as reliability tables: with the shipped live calibration (fitted on these
 * looks), and cross-validated by trace (each trace's looks stated by a fit without its fold).
 */
function liveVerdicts(tune: readonly LabelledTrace[]): void {
  const tuning = tune.map((trace) => replayLive(trace));
  const wander = wanderTraces(60, 6060).map((trace) => replayLive(trace));
  console.log(`\nEver alarmed, live session replay (looks ${QUIET_LOOK_INTERVAL_MS / 1000} s apart while nothing new is seen), non-leak traces:`);
  console.log(`  set                  traces   leak shown  alert (≥ ${LEAK_NOTIFY_CONFIDENCE})   ${ALERT_BARS.map((b) => `≥ ${b}`.padEnd(12)).join(' ')} shown in 3 min   alert, attached at the process's start (its ${WARM_UP_MS / 1000}-s warm-up)`);
  const nonLeak = tuning.filter((r) => !isLeakClass(r.trace.label));
  for (const label of [...new Set(nonLeak.map((r) => r.trace.label))].sort()) everAlarmedLine(`tuning ${label}`, nonLeak.filter((r) => r.trace.label === label));
  everAlarmedLine('tuning, all non-leak', nonLeak);
  everAlarmedLine('wander (generated)', wander);
  everAlarmedLine('tuning leaks (alerts wanted)', tuning.filter((r) => isLeakClass(r.trace.label)));
  const looks = tuning.flatMap((r) => r.looks.map((l): Stated => ({ confidence: l.confidence, right: l.right, leak: l.leak, weight: l.shownS })));
  const rel = reliabilityOf(looks);
  console.log(`Reliability of the live verdict at each look, tuning half, shipped live calibration (${rel.decided} decided looks; right = the trace's label):`);
  console.log(rel.table);
  // The live target is read per second shown: a live verdict is on screen until the next look,
  // and what a user sees at any moment is right as often as it says. Per look, a steady verdict
  // counts once per restatement, so the look cadence alone moves that figure (0.041, 0.051, 0.060
  // at quiet intervals of 16, 32 and 64 s, per second shown 0.034 at each: cadenceCalibration.ts).
  const shownEce = errorPerSecondShown(looks);
  figure(shownEce <= 0.05, `live verdicts, in-sample (the table was fitted on these looks): expected calibration error per second shown ${shownEce.toFixed(3)} (per look ${rel.ece.toFixed(3)})`);
  const cv = crossValidatedLooks(tuning);
  const cvRel = reliabilityOf(cv);
  console.log(`The same, cross-validated by trace (${FOLDS} folds of traces; each look stated by a fit without its trace):`);
  console.log(cvRel.table);
  const cvShownEce = errorPerSecondShown(cv);
  figure(cvShownEce <= 0.05, `live verdicts, cross-validated by trace: expected calibration error per second shown ${cvShownEce.toFixed(3)} (per look ${cvRel.ece.toFixed(3)}; the whole-file target, ≤ 0.05)`);
  for (const leak of [true, false]) {
    const ofKind = cv.filter((l) => l.leak === leak);
    const kind = reliabilityOf(ofKind);
    console.log(`  of which ${leak ? 'leak' : 'no-leak'} verdicts (${kind.decided} looks), cross-validated ECE per second shown ${errorPerSecondShown(ofKind).toFixed(3)}, per look ${kind.ece.toFixed(3)}:`);
    console.log(kind.table.replace(/^/gm, '  '));
  }
}

/** The calibration error with each live look weighted by the seconds it stays shown (Stated.weight). */
function errorPerSecondShown(looks: readonly Stated[]): number {
  return weightedCalibrationError(looks, (l) => l.weight ?? 1);
}

/** Every decided look stated by the live calibration fitted on the other folds' traces. */
function crossValidatedLooks(replays: readonly LiveReplay[]): Stated[] {
  const byTrace = replays.map((r) => r.looks);
  const fold = foldOf(replays.length);
  return (['leak', 'no-leak'] as const).flatMap((kind) => {
    const samples = samplesOf(kind, byTrace);
    const stated = crossValidated(kind, samples, fold);
    return samples.map((s, i) => ({ confidence: stated[i], right: s.right, leak: kind === 'leak', weight: s.shownS }));
  });
}

/** The same trace as a session sees it when its process started with the trace: growth a start-up explains is no leak in the warm-up. */
function alertedAttachedAtStart(trace: LabelledTrace): boolean {
  return firstLeakAt(replayLive(trace, { ...SESSION_CADENCE, leakNotBeforeMs: trace.tMs[0] + WARM_UP_MS }).looks, LEAK_NOTIFY_CONFIDENCE) < Infinity;
}

function everAlarmedLine(name: string, replays: readonly LiveReplay[]): void {
  const share = (count: number): string => `${count}/${replays.length} (${((100 * count) / Math.max(replays.length, 1)).toFixed(0)}%)`.padStart(12);
  const count = (bar: number): number => replays.filter((r) => firstLeakAt(r.looks, bar) < Infinity).length;
  const alerted = replays.filter((r) => r.looks.some((l) => isLeakAlert({ class: l.analysis.class, confidence: l.confidence }))).length;
  const early = replays.filter((r) => firstLeakAt(r.looks, 0) < 180).length;
  const atStart = replays.filter((r) => alertedAttachedAtStart(r.trace)).length;
  console.log(`  ${name.padEnd(22)} ${String(replays.length).padStart(6)} ${share(count(0))} ${share(alerted)}   ${ALERT_BARS.map((b) => share(count(b))).join(' ')} ${String(early).padStart(8)}       ${share(atStart)}`);
}

/** Histogram binning on the tuning half: per verdict kind, the accuracy in each raw-probability bin. */
function fitCalibration(tune: readonly Judged[]): void {
  const edges = [0.5, 0.7, 0.8, 0.9, 0.95, 0.99, 1];
  console.log('\nCalibration table fitted on the tuning half (paste into calibration.ts):');
  for (const kind of ['leak', 'no-leak'] as const) {
    const decided = tune.filter((j) => j.file.class !== 'unknown' && isLeakClass(j.file.class) === (kind === 'leak'));
    const accuracy = edges.map((edge, i) => {
      const inBin = decided.filter((j) => j.file.rawConfidence <= edge && j.file.rawConfidence > (i ? edges[i - 1] : -1));
      const right = inBin.filter((j) => j.file.class === j.trace.label).length;
      // Laplace-smoothed, so a bin of two verdicts does not promise 100%.
      return { edge, n: inBin.length, accuracy: (right + 1) / (inBin.length + 2) };
    }).filter((b) => b.n > 0);
    console.log(`  ${kind}: { upTo: [${accuracy.map((b) => b.edge).join(', ')}], accuracy: [${accuracy.map((b) => b.accuracy.toFixed(3)).join(', ')}] }, // n = ${accuracy.map((b) => b.n).join(', ')}`);
  }
}

type Noise = 'gaussian σ=2.5 MB (±5 MB at 2σ)' | 'uniform ±5 MB' | 'gaussian σ=5 MB (harder)';

/** 1 MB/min on 500 MB for an hour at 1 Hz, under the given noise. */
function slowLeakTrace(noise: Noise, seed: number): LabelledTrace {
  const random = rng(seed);
  const clean = generate({ durationS: 3600, intervalS: 1, levelBytes: 500 * MB, leak: { bytesPerS: MB / 60 } }, seed);
  return { name: `slow-leak/${seed}`, label: 'steady-leak', source: 'synthetic', tMs: clean.tMs, rssBytes: clean.rssBytes.map((v) => v + noiseSample(noise, random)) };
}

/** Seconds of data until the shown verdict is a leak and stays one to the end. */
function secondsToLastingLeak(trace: LabelledTrace, options: GrowthClassifierOptions): number {
  const c = new GrowthClassifier(options);
  let since = Infinity;
  for (let i = 0; i < trace.tMs.length; i++) {
    c.push(trace.tMs[i], trace.rssBytes[i]);
    const leak = isLeakClass(c.verdict().class);
    if (leak && since === Infinity) since = (trace.tMs[i] - trace.tMs[0]) / 1000;
    if (!leak) since = Infinity;
  }
  return since;
}

/** Minutes of data until the shown verdict is a leak and stays one to the end (60 min). */
function minutesToLeakVerdict(noise: Noise, seed: number, options: GrowthClassifierOptions = {}): number {
  return secondsToLastingLeak(slowLeakTrace(noise, seed), options) / 60;
}

/** Seconds of data until a live session would alert (the first look at or above each bar); sorted per bar. */
function secondsToAlert(traces: readonly LabelledTrace[]): Map<number, number[]> {
  const looks = traces.map((t) => replayLooks(t));
  return new Map(ALERT_BARS.map((bar) => [bar, looks.map((l) => firstLeakAt(l, bar)).sort((a, b) => a - b)]));
}

/** Median and max of each bar's times, and the shipped bar's times. */
function alertLines(title: string, times: Map<number, number[]>, unit: number, unitName: string): number[] {
  const fmt = (x: number): string => (x === Infinity ? 'never' : (x / unit).toFixed(unit === 1 ? 0 : 1));
  console.log(`  ${title}, time to the alert (${unitName}), per bar: ${ALERT_BARS.map((bar) => { const t = times.get(bar) ?? []; return `≥ ${bar}: median ${fmt(t[t.length >> 1])} max ${fmt(t[t.length - 1])}`; }).join('; ')}`);
  return times.get(LEAK_NOTIFY_CONFIDENCE) ?? [];
}

function noiseSample(noise: Noise, random: () => number): number {
  if (noise === 'uniform ±5 MB') return (2 * random() - 1) * 5 * MB;
  const sigma = noise === 'gaussian σ=5 MB (harder)' ? 5 * MB : 2.5 * MB;
  return sigma * Math.sqrt(-2 * Math.log(Math.max(random(), 1e-12))) * Math.cos(2 * Math.PI * random());
}

function timeToVerdict(): void {
  console.log('\nTime to a correct leak verdict: 1 MB/min leak, 500 MB process, 1 Hz, 20 seeds each (minutes of data):');
  for (const noise of ['gaussian σ=2.5 MB (±5 MB at 2σ)', 'uniform ±5 MB', 'gaussian σ=5 MB (harder)'] as Noise[]) {
    for (const [cadence, options] of [['', {}], [', a live session\'s cadence', SESSION_CADENCE]] as const) {
      const minutes = Array.from({ length: 20 }, (_, i) => minutesToLeakVerdict(noise, 1000 + i, options)).sort((a, b) => a - b);
      const median = minutes[10];
      const max = minutes[minutes.length - 1];
      console.log(`  ${(noise + cadence).padEnd(34)} median ${median.toFixed(1)}  p90 ${minutes[17].toFixed(1)}  max ${max.toFixed(1)}`);
      if (noise !== 'gaussian σ=5 MB (harder)') target(max <= 10, `${noise}${cadence}: every seed called within ${max.toFixed(1)} min (target ≤ 10)`);
    }
    if (noise === 'gaussian σ=5 MB (harder)') continue;
    const alerts = alertLines(noise, secondsToAlert(Array.from({ length: 20 }, (_, i) => slowLeakTrace(noise, 1000 + i))), 60, 'min');
    const max = alerts[alerts.length - 1] / 60;
    target(max <= 10, `${noise}: a live session alerts (${LEAK_NOTIFY_CONFIDENCE}) on every seed within ${max.toFixed(1)} min (target ≤ 10)`);
  }
}

/** 80 MB/min on 200 MB under a 60 MB GC sawtooth (period 4–12 s), 180 s. */
function fastLeakTrace(hz: number, seed: number): LabelledTrace {
  const d = rng(seed);
  const spec = { durationS: 180, intervalS: 1 / hz, levelBytes: 200 * MB, noiseSigmaBytes: 0.5 * MB, leak: { bytesPerS: (80 * MB) / 60 }, sawtooth: { amplitudeBytes: 60 * MB, periodS: 4 + 8 * d() } };
  return { name: `fast-leak/${hz}/${seed}`, label: 'steady-leak', source: 'synthetic', ...generate(spec, seed) };
}

/** Seconds of data until an 80 MB/min leak on 200 MB under a 60 MB GC sawtooth is shown as a leak for good. */
function secondsToFastLeak(hz: number, seed: number, options: GrowthClassifierOptions = {}): number {
  return secondsToLastingLeak(fastLeakTrace(hz, seed), options);
}

function fastLeakUnderSawtooth(): void {
  console.log('\nTime to a correct leak verdict: 80 MB/min on 200 MB under a 60 MB sawtooth (period 4–12 s), 20 seeds each (seconds of data):');
  for (const hz of [1, 10]) {
    for (const [cadence, options] of [['', {}], [', a live session\'s cadence', SESSION_CADENCE]] as const) {
      const seconds = Array.from({ length: 20 }, (_, i) => secondsToFastLeak(hz, 500 + i, options)).sort((a, b) => a - b);
      console.log(`  ${hz} Hz${cadence}: median ${seconds[10].toFixed(0)}  p90 ${seconds[17].toFixed(0)}  max ${seconds[19].toFixed(0)}`);
      target(seconds[10] <= 45, `${hz} Hz${cadence}: median ${seconds[10].toFixed(0)} s (target ≤ 45 s)`);
    }
    const alerts = alertLines(`${hz} Hz`, secondsToAlert(Array.from({ length: 20 }, (_, i) => fastLeakTrace(hz, 500 + i))), 1, 's of 180');
    target(alerts[10] <= 45, `${hz} Hz: a live session alerts (${LEAK_NOTIFY_CONFIDENCE}) within a median ${alerts[10] === Infinity ? 'never' : alerts[10].toFixed(0)} s (target ≤ 45 s)`);
  }
}

/** The naive alternative: a least-squares slope over the last hour, recomputed at each sample. */
function leastSquaresFromScratch(t: Float64Array, v: Float64Array, end: number, window: number): number {
  const from = Math.max(0, end - window);
  const n = end - from;
  let st = 0;
  let sv = 0;
  for (let i = from; i < end; i++) {
    st += t[i];
    sv += v[i];
  }
  const mt = st / n;
  const mv = sv / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = from; i < end; i++) {
    sxy += (t[i] - mt) * (v[i] - mv);
    sxx += (t[i] - mt) ** 2;
  }
  return sxx > 0 ? sxy / sxx : 0;
}

function costPerPush(): void {
  const day = generate({ durationS: 86_400, intervalS: 1, levelBytes: 800 * MB, noiseSigmaBytes: 3 * MB, leak: { bytesPerS: 3000 }, sawtooth: { amplitudeBytes: 20 * MB, periodS: 40 } }, 9);
  const t = Float64Array.from(day.tMs);
  const v = Float64Array.from(day.rssBytes);
  const n = t.length;
  const c = new GrowthClassifier();
  let start = performance.now();
  for (let i = 0; i < n; i++) {
    c.push(t[i], v[i]);
    c.verdict();
  }
  const ours = ((performance.now() - start) * 1000) / n;
  let sink = 0;
  start = performance.now();
  for (let i = 1; i <= n; i++) sink += leastSquaresFromScratch(t, v, i, 3600);
  const naive = ((performance.now() - start) * 1000) / n;
  const firstHour = new GrowthClassifier();
  start = performance.now();
  for (let i = 0; i < 3600; i++) {
    firstHour.push(t[i], v[i]);
    firstHour.verdict();
  }
  const early = ((performance.now() - start) * 1000) / 3600;
  const { perSample: firstMinutes, looks } = firstFiveMinutes(t, v);
  console.log(`\nCost per sample over a day at 1 Hz (${n.toLocaleString('en-US')} samples), push + verdict():`);
  console.log(`  GrowthClassifier                          ${ours.toFixed(2)} µs/sample (first hour alone: ${early.toFixed(2)} µs/sample)`);
  console.log(`  its busiest stretch, the first 5 minutes  ${firstMinutes.toFixed(2)} µs/sample (${looks} looks; × 100 processes = ${(firstMinutes / 100).toFixed(2)}% of a core)`);
  console.log(`  least squares over the last hour, redone  ${naive.toFixed(2)} µs/sample (${(naive / ours).toFixed(1)}× ours)${sink === 42 ? '' : ''}`);
  console.log(`  final verdict: ${c.verdict().explanation}`);
  target(ours < naive, 'cheaper per sample than recomputing a least-squares fit over the window');
}

/** 1-s buckets and a look every 5 s: the most a watched process costs. Median of 15 runs, JIT warm. */
function firstFiveMinutes(t: Float64Array, v: Float64Array): { perSample: number; looks: number } {
  const runs: number[] = [];
  let looks = 0;
  for (let run = 0; run < 15; run++) {
    const c = new GrowthClassifier();
    const start = performance.now();
    for (let i = 0; i < 300; i++) {
      c.push(t[i], v[i]);
      c.verdict();
    }
    runs.push(((performance.now() - start) * 1000) / 300);
    looks = c.lookCount;
  }
  runs.sort((a, b) => a - b);
  return { perSample: runs[runs.length >> 1], looks };
}

if (process.argv.includes('--live-only')) {
  liveVerdicts(corpusHalves(60, { tuningOnly: true }).tune);
} else {
  const tune = accuracy();
  if (!process.argv.includes('--no-live')) liveVerdicts(tune.map((j) => j.trace));
  if (process.argv.includes('--fit-calibration')) fitCalibration(tune);
}
if (!process.argv.includes('--accuracy-only') && !process.argv.includes('--live-only')) {
  timeToVerdict();
  fastLeakUnderSawtooth();
  costPerPush();
}
if (missed) process.exitCode = 1;
