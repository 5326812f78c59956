// The OpenMetrics 1.0 text format (https://github.com/OpenObservability/OpenMetrics, the
// specification's "Text Format" section), written by hand for the few families Leakscope serves:
// prom-client (a dependency the CLI would otherwise not need) has an OpenMetrics content type but
// no units (`# UNIT`) and no stateset type, which is how OpenMetrics wants an enum like the class.
// The rules kept here, each checked by test/unit/openmetrics/exposition.test.ts:
//  - a family's `# TYPE`, `# UNIT`, `# HELP` come once, before its points, and its points are together;
//  - metric and label names match [a-zA-Z_:][a-zA-Z0-9_:]* and [a-zA-Z_][a-zA-Z0-9_]*;
//  - a unit, when given, is the family name's last `_`-separated part; stateset and info have none;
//  - label values and help text escape \ " and line feed as \\ \" \n;
//  - a stateset's points carry a label named after the family, value 1 for the state held, 0 else;
//  - an info family's points are named <family>_info and valued 1;
//  - numbers are written so they parse back to the same double: NaN, +Inf, -Inf spelled so;
//  - the exposition ends with `# EOF` and a line feed.
export const OPENMETRICS_CONTENT_TYPE = 'application/openmetrics-text; version=1.0.0; charset=utf-8';

export type MetricType = 'gauge' | 'stateset' | 'info';

export interface MetricPoint {
  labels: Record<string, string>;
  value: number;
}

export interface MetricFamily {
  name: string;
  type: MetricType;
  /** e.g. "bytes": then the name must end in "_bytes". None for stateset and info. */
  unit?: string;
  help: string;
  points: MetricPoint[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
/** Suffixes that other types' samples use: a gauge or stateset named so would collide with them. */
const RESERVED_SUFFIXES = ['_total', '_created', '_count', '_sum', '_bucket', '_gcount', '_gsum', '_info'];

/** The whole exposition, `# EOF` included. Throws RangeError on a family that breaks a rule. */
export function serializeOpenMetrics(families: readonly MetricFamily[]): string {
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const family of families) {
    checkFamily(family);
    if (seen.has(family.name)) throw new RangeError(`metric family ${family.name} appears twice`);
    seen.add(family.name);
    lines.push(...familyLines(family));
  }
  lines.push('# EOF');
  return lines.join('\n') + '\n';
}

function checkFamily(family: MetricFamily): void {
  if (!METRIC_NAME.test(family.name)) throw new RangeError(`not a metric name: '${family.name}'`);
  if (RESERVED_SUFFIXES.some((suffix) => family.name.endsWith(suffix))) throw new RangeError(`${family.name}: a family name must not end in a suffix another type's samples use`);
  if (family.unit !== undefined) {
    if (family.type !== 'gauge') throw new RangeError(`${family.name}: a ${family.type} has no unit`);
    if (!LABEL_NAME.test(family.unit) || !family.name.endsWith(`_${family.unit}`)) throw new RangeError(`${family.name}: the unit '${family.unit}' must be the name's suffix`);
  }
  for (const point of family.points) {
    for (const name of Object.keys(point.labels)) {
      if (!LABEL_NAME.test(name) || name.startsWith('__')) throw new RangeError(`${family.name}: not a label name: '${name}'`);
    }
  }
}

function familyLines(family: MetricFamily): string[] {
  const lines = [`# TYPE ${family.name} ${family.type}`];
  if (family.unit !== undefined) lines.push(`# UNIT ${family.name} ${family.unit}`);
  lines.push(`# HELP ${family.name} ${escapeText(family.help)}`);
  const sampleName = family.type === 'info' ? `${family.name}_info` : family.name;
  for (const point of family.points) lines.push(`${sampleName}${labelSet(point.labels)} ${formatValue(point.value)}`);
  return lines;
}

/** Backslash, double quote and line feed, as the format's escaped-string has them. */
export function escapeText(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function labelSet(labels: Record<string, string>): string {
  const pairs = Object.entries(labels).map(([name, value]) => `${name}="${escapeText(value)}"`);
  return pairs.length ? `{${pairs.join(',')}}` : '';
}

/** Integers as integers; other doubles in JavaScript's shortest round-trip form; NaN and infinities spelled. */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  if (Number.isInteger(value) && Math.abs(value) < 1e21) return value.toFixed(0);
  return String(value);
}

/** A stateset's points for one label set: every state, 1 for the one held. */
export function statesetPoints(family: string, labels: Record<string, string>, states: readonly string[], held: string): MetricPoint[] {
  return states.map((state) => ({ labels: { ...labels, [family]: state }, value: state === held ? 1 : 0 }));
}
