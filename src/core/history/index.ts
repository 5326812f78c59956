export { DEFAULT_HISTORY_CAPACITY, SampleHistory } from './sampleHistory';
export type { HistoryColumns, SampleHistoryOptions } from './sampleHistory';
