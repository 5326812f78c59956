// Every rule the engine runs.
import { Rule } from './rule';
import { jsHandlerNotCleared } from './js/handler-not-cleared';
import { jsHandlerRegistry } from './js/handler-registry';
import { timerNotCleared } from './js/timer-not-cleared';
import { jsLogNoRotation } from './js/log-no-rotation';
import { jsUnboundedCache } from './js/unbounded-cache';
import { jsUnboundedCollection } from './js/unbounded-collection';
import { cudaCache } from './python/cuda-cache';
import { pythonHandlerNotCleared } from './python/handler-not-cleared';
import { logNoRotation } from './python/log-no-rotation';
import { mallocTrim } from './python/malloc-trim';
import { methodLruCache } from './python/method-lru-cache';
import { missingGcAfterFree } from './python/missing-gc';
import { streamNoDrain } from './python/stream-no-drain';
import { pythonTimerNotCleared } from './python/timer-not-cleared';
import { trialNoGuard } from './python/trial-no-guard';
import { pythonUnboundedCache } from './python/unbounded-cache';
import { pythonUnboundedCollection } from './python/unbounded-collection';

export const ALL_RULES: readonly Rule[] = [
  pythonHandlerNotCleared,
  pythonUnboundedCache,
  methodLruCache,
  pythonUnboundedCollection,
  missingGcAfterFree,
  mallocTrim,
  logNoRotation,
  cudaCache,
  trialNoGuard,
  streamNoDrain,
  pythonTimerNotCleared,
  jsHandlerNotCleared,
  jsHandlerRegistry,
  jsUnboundedCache,
  jsUnboundedCollection,
  timerNotCleared,
  jsLogNoRotation,
];
