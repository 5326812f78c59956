// Naming hints: the clear evidence some rules need on top of the code's shape. Names are
// compared in snake_case (`requestLog` reads as `request_log`). A line a live probe named as
// growing replaces them (see RuleContext.evidenceLines).

function snake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/** A dict/Map used as a cache. */
const CACHE = /cache|memo/;

/** A list that records things over time. */
const RECORD =
  /history|samples|losses|metrics|events|records|messages|(^|_)logs?$|entries|trace|timeline|snapshots|frames|observations|rewards|scores|results|readings|measurements|points|series|buffer|backlog|(^|_)(seen|visited)$/;

/** Objects big enough that freeing them each round matters. */
const LARGE =
  /model|sample|data|batch|buffer|tensor|weight|update|grad|state_dict|frame|image|array|matrix|(^|_)df(_|$)|embedding|feature|activation|logit|output|payload|blob|chunk|pred|checkpoint|(^|_)[xy](_(train|test|val))?$/;

/** Tensors and modules that may live on a CUDA device. */
const TENSOR =
  /tensor|model|output|logit|loss|batch|input|grad|activation|feature|embedding|optimizer|pred|hidden|gpu|cuda|weight|state_dict|(^|_)[xy](_(train|test|val|batch))?$/;

/** Functions that run once per round of work. */
export const ROUND_FUNCTION = /round|epoch|step|trial|iteration|(^|_)iter|batch|train|update|aggregate|cycle|tick|cleanup|process|handle/i;

export const isCacheName = (name: string): boolean => CACHE.test(snake(name));
export const isRecordName = (name: string): boolean => RECORD.test(snake(name));
export const isLargeName = (name: string): boolean => LARGE.test(snake(name));
export const isTensorName = (name: string): boolean => TENSOR.test(snake(name));
