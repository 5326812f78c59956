// Shared by the three readers: a sample from the readings a file has, and the final ordering.
import { MemorySample } from '../model';

export type OptionalReadings = Partial<Omit<MemorySample, 'tMs' | 'rssBytes' | 'deltaBytes'>>;

/**
 * What a sample holds for a reading its file lacks (fds -1: "not read"). The readings not named
 * here (USS, PSS, heap, GPU) are left out of the sample instead. The column reader (stream.ts)
 * fills its columns from this too.
 */
export const MISSING_READINGS = { threads: 0, fds: -1, childrenRssBytes: 0, childCount: 0, cpuPercent: 0 } as const;

export function makeSample(tMs: number, rssBytes: number, readings: OptionalReadings = {}): MemorySample {
  const sample: MemorySample = {
    tMs,
    rssBytes,
    deltaBytes: 0,
    threads: readings.threads ?? MISSING_READINGS.threads,
    fds: readings.fds ?? MISSING_READINGS.fds,
    childrenRssBytes: readings.childrenRssBytes ?? MISSING_READINGS.childrenRssBytes,
    childCount: readings.childCount ?? MISSING_READINGS.childCount,
    cpuPercent: readings.cpuPercent ?? MISSING_READINGS.cpuPercent,
  };
  if (readings.ussBytes !== undefined) sample.ussBytes = readings.ussBytes;
  if (readings.pssBytes !== undefined) sample.pssBytes = readings.pssBytes;
  if (readings.heapUsedBytes !== undefined) sample.heapUsedBytes = readings.heapUsedBytes;
  if (readings.gpuBytes !== undefined) sample.gpuBytes = readings.gpuBytes;
  return sample;
}

/**
 * Samples in time order with their deltas. Time that goes backwards is sorted, not rejected:
 * it comes from wall-clock steps (NTP) and from traces pasted together, and the classifier
 * needs order, not provenance. The sort is stable, so equal times keep the file's order.
 */
export function finishSamples(samples: MemorySample[]): MemorySample[] {
  if (!isSorted(samples)) samples.sort((a, b) => a.tMs - b.tMs);
  for (let i = 0; i < samples.length; i++) {
    samples[i].deltaBytes = i === 0 ? 0 : samples[i].rssBytes - samples[i - 1].rssBytes;
  }
  return samples;
}

function isSorted(samples: readonly MemorySample[]): boolean {
  for (let i = 1; i < samples.length; i++) if (samples[i].tMs < samples[i - 1].tMs) return false;
  return true;
}
