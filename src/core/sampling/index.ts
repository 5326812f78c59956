// The sampler for this platform: /proc on Linux, pidusage elsewhere.
import { ProcessInfo } from '../model';
import { isLinux } from '../discovery/procfs';
import { PidusageSampler } from './pidusageSampler';
import { ProcfsSampler } from './procfsSampler';
import { ProcessSampler } from './sampler';

export type { DetailReading, ProcessSampler, SampleRequest } from './sampler';
export { PidusageSampler } from './pidusageSampler';
export { ProcfsSampler } from './procfsSampler';

export interface OpenSamplerOptions {
  intervalMs?: number;
  /** Use pidusage even on Linux (tests of the fallback). */
  forceFallback?: boolean;
}

/**
 * Attaches a sampler to `target`. On Linux this throws at once (ProcessGoneError,
 * PermissionDeniedError) when the process is gone or its pid now belongs to another process;
 * the fallback finds out at the first sample.
 */
export function openSampler(target: Pick<ProcessInfo, 'pid' | 'startTicks'>, options: OpenSamplerOptions = {}): ProcessSampler {
  if (isLinux && !options.forceFallback) return ProcfsSampler.open(target.pid, target.startTicks);
  return new PidusageSampler(target.pid, options.intervalMs);
}
