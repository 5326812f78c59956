// Shared by the three readers: a sample from the readings a file has, and the final ordering.
import { MemorySample } from '../model';

export type OptionalReadings = Partial<Omit<MemorySample, 'tMs' | 'rssBytes' | 'deltaBytes'>>;

export function makeSample(tMs: number, rssBytes: number, readings: OptionalReadings = {}): MemorySample {
  const sample: MemorySample = {
    tMs,
    rssBytes,
    deltaBytes: 0,
    threads: readings.threads ?? 0,
    fds: readings.fds ?? -1,
    childrenRssBytes: readings.childrenRssBytes ?? 0,
    childCount: readings.childCount ?? 0,
    cpuPercent: readings.cpuPercent ?? 0,
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
