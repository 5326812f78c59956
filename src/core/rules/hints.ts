// Naming hints: the clear evidence some rules need on top of the code's shape. A line a live
// probe named as growing replaces them (see RuleContext.evidenceLines).

/** A dict/Map used as a cache. */
export const CACHE_NAME = /cache|memo/i;

/** A list that records things over time. */
export const RECORD_NAME =
  /history|samples|losses|metrics|events|records|messages|(^|_)logs?$|entries|trace|timeline|snapshots|frames|observations|rewards|scores|results|readings|measurements|points|series|buffer|backlog|(^|_)(seen|visited)$/i;

/** Objects big enough that freeing them each round matters. */
export const LARGE_NAME =
  /model|sample|data|batch|buffer|tensor|weight|update|grad|state_dict|frame|image|array|matrix|(^|_)df(_|$)|embedding|feature|activation|logit|output|payload|blob|chunk|pred|checkpoint|(^|_)(x|y|X|Y)_?(train|test|val)?$/;

/** Tensors and modules that may live on a CUDA device. */
export const TENSOR_NAME =
  /tensor|model|output|logit|loss|batch|input|grad|activation|feature|embedding|optimizer|pred|hidden|gpu|cuda|weight|state_dict|(^|_)(x|y|X|Y)_?(train|test|val|batch)?$/;

/** Functions that run once per round of work. */
export const ROUND_FUNCTION = /round|epoch|step|trial|iteration|(^|_)iter|batch|train|update|aggregate|cycle|tick|cleanup|process|handle/i;
