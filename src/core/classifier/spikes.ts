// Spikes: memory that rises well above its local baseline and comes back. Measured per bucket as
// the bucket's maximum over the minimum of its neighbourhood; an excursion is a run of buckets
// above the threshold. "Well above" is relative to the process (15% of its baseline), never
// less than 2 MiB and never inside the baseline's own noise, so allocator jitter on a large
// process is not called spiky.
import { Bucket } from './buckets';
import { localBaseline } from './points';
import { ScratchColumns } from './scratch';

/** The local baseline's buffer, reused by every call (the classifier is synchronous). */
const baseline = new ScratchColumns();

export interface SpikeAnalysis {
  excursions: number;
  /** Share of buckets with a spike: near 1 when spikes come faster than buckets. */
  spikyShare: number;
  /** Highest peak above the baseline, bytes. */
  maxHeightBytes: number;
  /** How far above its local baseline a bucket's peak must reach to be a spike, bytes. */
  thresholdBytes: number;
}

export const SPIKE_RELATIVE_HEIGHT = 0.15;
const SPIKE_MIN_BYTES = 2 * 1024 * 1024;

export function detectSpikes(buckets: readonly Bucket[], fromBucket: number, levelBytes: number, noiseSigmaBytes: number, radius: number): SpikeAnalysis {
  const base = localBaseline(buckets, Math.max(2, radius), baseline.get(0, buckets.length));
  const threshold = Math.max(SPIKE_RELATIVE_HEIGHT * levelBytes, SPIKE_MIN_BYTES, 6 * noiseSigmaBytes);
  let excursions = 0;
  let inside = false;
  let maxHeightBytes = 0;
  let spikyBuckets = 0;
  for (let i = fromBucket; i < buckets.length; i++) {
    const height = buckets[i].max - base[i];
    const above = height > threshold;
    if (above && !inside) excursions++;
    if (above) {
      spikyBuckets++;
      maxHeightBytes = Math.max(maxHeightBytes, height);
    }
    inside = above;
  }
  const total = buckets.length - fromBucket;
  return { excursions, spikyShare: total > 0 ? spikyBuckets / total : 0, maxHeightBytes, thresholdBytes: threshold };
}

/** Repeated excursions, or spikes in so many buckets that they merge into one run. */
export function isSpiky(s: SpikeAnalysis): boolean {
  return s.excursions >= 2 || (s.excursions >= 1 && s.spikyShare >= 0.2);
}
