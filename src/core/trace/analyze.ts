// The growth classifier's judgement of a whole trace read into columns. `leakscope classify`
// prints it and the panel shows it on an opened file: one function, so both say the same of a file.
import { Analysis, analyzeSeries, toVerdict } from '../classifier';
import { GrowthVerdict } from '../model';
import { TraceColumns } from './stream';

export function analyzeTrace(trace: Pick<TraceColumns, 'tMs' | 'rssBytes'>): Analysis {
  return analyzeSeries(trace.tMs, trace.rssBytes);
}

/** What the panel's banner shows: the same analysis, as a verdict. */
export function traceVerdict(trace: Pick<TraceColumns, 'tMs' | 'rssBytes'>): GrowthVerdict {
  return toVerdict(analyzeTrace(trace));
}
