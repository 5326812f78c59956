// What the fleet view says about one series: its description and tooltip text, and which icon
// and colour its class gets. VS Code–free (tested in Node); fleetTree.ts makes the tree items.
import type { FleetRow } from '../core/fleet';
import { GrowthClass, isLeakClass } from '../core/model';
import { formatBytes, formatRate } from '../core/units';
import { formatConfidence } from '../core/shared/confidence';

/** "steady leak", "plateau", "undecided": the class as the panel's banner reads it. */
export function className(c: GrowthClass): string {
  return c === 'unknown' ? 'undecided' : c.replace('-', ' ');
}

/** "steady leak · 2.1 MB/min · 97%": class · slope · confidence (no slope or confidence when undecided). */
export function rowDescription(row: FleetRow): string {
  if (row.class === 'unknown') return `${className(row.class)} · – · –`;
  return `${className(row.class)} · ${formatRate(row.slopeBytesPerS)} · ${formatConfidence(row.confidence)}`;
}

/** The tooltip: the verdict, the last value, the points, every label, and the classifier's explanation. */
export function rowTooltip(row: FleetRow): string {
  const labels = Object.entries(row.labels).map(([name, value]) => `${name}="${value}"`);
  return [
    `${row.name}: ${rowDescription(row)}`,
    `Last ${formatBytes(row.lastBytes)}, slope ${formatRate(row.slopeBytesPerS)} ± ${formatRate(row.slopeUncertaintyBytesPerS)}, ${row.points.toLocaleString('en-US')} points`,
    '',
    ...labels,
    '',
    row.explanation,
  ].join('\n');
}

/** A codicon and a theme colour per class: leaks in the error colour, the undecided ones muted. */
export function classIcon(c: GrowthClass): { id: string; color?: string } {
  if (isLeakClass(c)) return { id: c === 'steady-leak' ? 'arrow-up' : 'arrow-circle-up', color: 'list.errorForeground' };
  switch (c) {
    case 'plateau':
      return { id: 'dash', color: 'charts.blue' };
    case 'spiky':
      return { id: 'pulse', color: 'charts.purple' };
    case 'flat':
      return { id: 'pass', color: 'charts.green' };
    default:
      return { id: 'question', color: 'disabledForeground' };
  }
}
