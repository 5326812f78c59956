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
 * Below this a verdict is more likely wrong than right, so a leak stated with it names what is
 * seen, not what it would mean ("Steady growth · 27% chance of a leak"). Early in a watch that is
 * usual: the live confidence is calibrated, and most rises seen in a first minute level off.
 */
const LIKELY_CONFIDENCE = 0.5;

export function isTentative(confidence: number): boolean {
  return confidence < LIKELY_CONFIDENCE;
}

function isTentativeLeak(isLeak: boolean, confidence: number): boolean {
  return isLeak && isTentative(confidence);
}

/**
 * A class's name as stated: "Steady leak", or "Steady growth" while the leak is tentative. A title
 * of "leak" beside "6% confidence" read as a contradiction; the growth is a fact, the leak a chance.
 */
export function statedClass(name: string, isLeak: boolean, confidence: number): string {
  return isTentativeLeak(isLeak, confidence) ? name.replace(/ leak$/i, ' growth') : name;
}

/** The confidence as stated beside that name: "92% confidence", or "27% chance of a leak". */
export function statedConfidence(isLeak: boolean, confidence: number): string {
  return `${formatConfidence(confidence)} ${isTentativeLeak(isLeak, confidence) ? 'chance of a leak' : 'confidence'}`;
}
