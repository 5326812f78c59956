// `leakscope run --report FILE`: the run's findings as JSON, for scripts. Sizes in bytes, times
// in epoch ms, rates in bytes per second; the samples themselves are in --trace-json.
import { RunResult, WatchedProcessResult, iterationText } from './runResult';
import { GrowthVerdict } from '../model';

export const RUN_REPORT_FORMAT = 'leakscope-run-report';
export const RUN_REPORT_VERSION = 1;

export function runReportToJson(result: RunResult): string {
  const report = {
    format: RUN_REPORT_FORMAT,
    version: RUN_REPORT_VERSION,
    command: result.argv,
    started_ms: result.startedAtMs,
    ended_ms: result.endedAtMs,
    duration_ms: result.endedAtMs - result.startedAtMs,
    program_exit: result.programExit,
    fail_on: result.failOn,
    warmup_ms: result.warmUpMs,
    gate_failure: result.gateFailure ?? null,
    ending: result.ending,
    exit_code: result.exitCode,
    processes: result.processes.map(processJson),
  };
  return JSON.stringify(report, null, 2);
}

function processJson(p: WatchedProcessResult): Record<string, unknown> {
  return {
    pid: p.pid,
    command: p.command,
    samples: p.summary.samples,
    duration_ms: p.summary.durationMs,
    rss_start_bytes: p.summary.startRssBytes,
    rss_end_bytes: p.summary.endRssBytes,
    rss_peak_bytes: p.summary.peakRssBytes,
    verdict: verdictJson(p.verdict),
    leak: p.leak ? verdictJson(p.leak) : null,
    limits_reached: p.limitsReached.map((l) => ({ kind: l.kind, t_ms: l.tMs, message: l.message })),
    iterations: p.iterations
      ? {
          noun: p.iterations.noun,
          bytes_per_iteration: p.iterations.growth.bytesPerIteration,
          first: p.iterations.growth.firstIteration,
          last: p.iterations.growth.lastIteration,
          text: iterationText(p.iterations),
        }
      : null,
  };
}

function verdictJson(v: GrowthVerdict): Record<string, unknown> {
  return {
    class: v.class,
    confidence: v.confidence,
    slope_bytes_per_s: v.slopeBytesPerS,
    slope_uncertainty_bytes_per_s: v.slopeUncertaintyBytesPerS,
    explanation: v.explanation,
  };
}
