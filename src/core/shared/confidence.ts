// How a confidence is written, everywhere it is shown (banner, explanation, status bar, CLI, fleet):
// one rule, so two places never state the same verdict at different percentages. Rounded down and
// capped at 99%: a stated confidence is a promise, and no verdict is certain.

/** 0.275 → 27; 0.9999 → 99. */
export function confidencePercent(confidence: number): number {
  return Math.min(99, Math.floor(confidence * 100));
}

/** 0.275 → "27%". */
export function formatConfidence(confidence: number): string {
  return `${confidencePercent(confidence)}%`;
}

/**
 * Below this a verdict is more likely wrong than right, so a leak stated with it is worded as
 * possible ("Possible steady leak · 27% confidence"), not as a finding. Early in a watch that is
 * usual: the live confidence is calibrated, and most rises seen in a first minute level off.
 */
const LIKELY_CONFIDENCE = 0.5;

export function isTentative(confidence: number): boolean {
  return confidence < LIKELY_CONFIDENCE;
}

/** A class's name as stated: "Steady leak", or "Possible steady leak" while the leak is tentative. */
export function statedClass(name: string, isLeak: boolean, confidence: number): string {
  return isLeak && isTentative(confidence) ? `Possible ${name.toLowerCase()}` : name;
}
