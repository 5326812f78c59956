// Every rule the engine runs, in the order findings of one line are reported.
import { Rule } from './rule';
import { pythonUnboundedCache } from './python/unbounded-cache';

export const ALL_RULES: readonly Rule[] = [pythonUnboundedCache];
