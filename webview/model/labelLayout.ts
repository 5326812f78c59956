// Where the chart's text goes: every label gets a box, and no two boxes overlap or leave the
// plot area. Each label offers the places it may go, best first (beside its line, a row lower,
// the other side); the first free one wins, in the order of importance the caller gives. A label
// with no free place is not drawn at all rather than drawn over another one or cut short: its
// line or point stays, and the text is still in the chart's description.
// Pure: tested in Node, and the boxes it returns are what the e2e test checks on screen.

export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface LabelRequest {
  id: string;
  /** The texts to try, longest first (a label may have a shorter form for tight spots). */
  texts: readonly string[];
  /** Places for the top-left corner, best first, for a box of the given width. */
  places: (width: number) => ReadonlyArray<{ left: number; top: number }>;
}

export interface PlacedLabel {
  id: string;
  text: string;
  box: Box;
}

/** The labels drawn in the last frame, in canvas CSS pixels, and the plot area they must stay in. */
export interface DrawnLabels {
  area: Box;
  labels: PlacedLabel[];
}

/** Gap kept between two labels, so they read as two. */
const GAP = 2;

export function boxesOverlap(a: Box, b: Box, gap = 0): boolean {
  return a.left < b.left + b.width + gap && b.left < a.left + a.width + gap && a.top < b.top + b.height + gap && b.top < a.top + a.height + gap;
}

export function boxInside(inner: Box, outer: Box): boolean {
  return inner.left >= outer.left && inner.top >= outer.top && inner.left + inner.width <= outer.left + outer.width && inner.top + inner.height <= outer.top + outer.height;
}

/**
 * Lays out `requests` in order (most important first) inside `area`, avoiding each other and
 * `obstacles` (boxes already taken). `measure` gives a text's width; all labels are `height` tall.
 */
export function layoutLabels(
  requests: readonly LabelRequest[],
  area: Box,
  measure: (text: string) => number,
  height: number,
  obstacles: readonly Box[] = [],
): PlacedLabel[] {
  const taken: Box[] = [...obstacles];
  const placed: PlacedLabel[] = [];
  for (const request of requests) {
    const found = firstFreePlace(request, area, measure, height, taken);
    if (!found) continue;
    taken.push(found.box);
    placed.push(found);
  }
  return placed;
}

function firstFreePlace(request: LabelRequest, area: Box, measure: (text: string) => number, height: number, taken: readonly Box[]): PlacedLabel | undefined {
  for (const text of request.texts) {
    const width = Math.ceil(measure(text));
    for (const place of request.places(width)) {
      const box = { left: place.left, top: place.top, width, height };
      if (boxInside(box, area) && !taken.some((other) => boxesOverlap(box, other, GAP))) return { id: request.id, text, box };
    }
  }
  return undefined;
}

/** Pairs of labels whose boxes overlap (for the tests: none is the contract). */
export function overlappingPairs(labels: ReadonlyArray<{ id: string; box: Box }>): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i < labels.length; i++) {
    for (let j = i + 1; j < labels.length; j++) {
      if (boxesOverlap(labels[i].box, labels[j].box)) pairs.push([labels[i].id, labels[j].id]);
    }
  }
  return pairs;
}
