export { DEFAULT_HISTORY_CAPACITY, SampleHistory } from './sampleHistory';
export type { SampleHistoryOptions } from './sampleHistory';
