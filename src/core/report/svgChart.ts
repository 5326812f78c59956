// RSS over time as a self-contained SVG: no script, no external font or style, so it can be
// inlined in a Markdown report (CI job summaries, PR comments) or opened on its own.
import { MemorySample } from '../model';
import { formatBytes, formatDuration } from '../units';

export interface ChartOptions {
  title: string;
  /** Drawn red instead of blue: the process leaked. */
  alarming: boolean;
  /** Vertical markers (epoch ms) with their labels: the warm-up's end, a reached limit. */
  markers: readonly { tMs: number; label: string }[];
}

const WIDTH = 720;
const HEIGHT = 260;
const PAD = { left: 70, right: 16, top: 28, bottom: 34 };
const PLOT_W = WIDTH - PAD.left - PAD.right;
const PLOT_H = HEIGHT - PAD.top - PAD.bottom;
const MIB = 1024 ** 2;
const TIME_STEPS_S = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];

export function rssChartSvg(samples: readonly MemorySample[], options: ChartOptions): string {
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" style="max-width: 100%; height: auto" role="img" aria-label="${escape(options.title)}" font-family="sans-serif" font-size="11">`,
    `<title>${escape(options.title)}</title>`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${PAD.left}" y="17" font-size="13" fill="#222">${escape(options.title)}</text>`,
  ];
  if (samples.length === 0) {
    parts.push(`<text x="${WIDTH / 2}" y="${HEIGHT / 2}" text-anchor="middle" fill="#666">No samples</text>`, '</svg>');
    return parts.join('');
  }
  const scale = scales(samples);
  parts.push(...yAxis(scale), ...xAxis(scale), ...markers(scale, options.markers));
  parts.push(`<polyline fill="none" stroke="${options.alarming ? '#d1242f' : '#0969da'}" stroke-width="1.5" stroke-linejoin="round" points="${linePoints(samples, scale)}"/>`);
  parts.push(`<rect x="${PAD.left}" y="${PAD.top}" width="${PLOT_W}" height="${PLOT_H}" fill="none" stroke="#999"/>`, '</svg>');
  return parts.join('');
}

interface Scale {
  t0: number;
  spanMs: number;
  yMin: number;
  yMax: number;
  yStep: number;
  x(tMs: number): number;
  y(bytes: number): number;
}

function scales(samples: readonly MemorySample[]): Scale {
  const t0 = samples[0].tMs;
  const spanMs = Math.max(1000, samples[samples.length - 1].tMs - t0);
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of samples) {
    lo = Math.min(lo, s.rssBytes);
    hi = Math.max(hi, s.rssBytes);
  }
  const yStep = niceStep(Math.max(hi - lo, MIB) / 4);
  // From zero when that costs little resolution, so a small rise does not look like a cliff.
  const yMin = lo < 2 * (hi - lo) ? 0 : Math.floor(lo / yStep) * yStep;
  const yMax = Math.max(yMin + yStep, Math.ceil(hi / yStep) * yStep);
  return {
    t0,
    spanMs,
    yMin,
    yMax,
    yStep,
    x: (tMs) => PAD.left + ((tMs - t0) / spanMs) * PLOT_W,
    y: (bytes) => PAD.top + PLOT_H - ((bytes - yMin) / (yMax - yMin)) * PLOT_H,
  };
}

/** 1, 2 or 5 × a power of ten, in MiB (or KiB below a MiB): ticks that read as round sizes. */
function niceStep(raw: number): number {
  const unit = raw >= MIB ? MIB : 1024;
  const value = raw / unit;
  const power = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= value) ?? 10 * power;
  return step * unit;
}

function yAxis(scale: Scale): string[] {
  const out: string[] = [];
  for (let v = scale.yMin; v <= scale.yMax + scale.yStep / 1000; v += scale.yStep) {
    const y = round(scale.y(v));
    out.push(`<line x1="${PAD.left}" x2="${PAD.left + PLOT_W}" y1="${y}" y2="${y}" stroke="#e4e4e4"/>`);
    out.push(`<text x="${PAD.left - 6}" y="${y + 4}" text-anchor="end" fill="#444">${formatBytes(v)}</text>`);
  }
  return out;
}

function xAxis(scale: Scale): string[] {
  const stepS = TIME_STEPS_S.find((s) => s * 1000 * 6 >= scale.spanMs) ?? TIME_STEPS_S[TIME_STEPS_S.length - 1];
  const out: string[] = [];
  for (let s = 0; s * 1000 <= scale.spanMs; s += stepS) {
    const x = round(scale.x(scale.t0 + s * 1000));
    out.push(`<line x1="${x}" x2="${x}" y1="${PAD.top + PLOT_H}" y2="${PAD.top + PLOT_H + 4}" stroke="#999"/>`);
    out.push(`<text x="${x}" y="${PAD.top + PLOT_H + 16}" text-anchor="middle" fill="#444">${s === 0 ? '0' : formatDuration(s * 1000)}</text>`);
  }
  return out;
}

function markers(scale: Scale, list: ChartOptions['markers']): string[] {
  return list
    .filter((m) => m.tMs >= scale.t0 && m.tMs <= scale.t0 + scale.spanMs)
    .flatMap((m) => {
      const x = round(scale.x(m.tMs));
      return [
        `<line x1="${x}" x2="${x}" y1="${PAD.top}" y2="${PAD.top + PLOT_H}" stroke="#8c959f" stroke-dasharray="4 3"/>`,
        `<text x="${x + 3}" y="${PAD.top + 11}" fill="#57606a">${escape(m.label)}</text>`,
      ];
    });
}

/**
 * At most two points per pixel column (its lowest and highest reading, in time order), so a
 * day of samples draws in a few kilobytes and a spike still shows.
 */
function linePoints(samples: readonly MemorySample[], scale: Scale): string {
  const points: string[] = [];
  let column = -1;
  let low: MemorySample | undefined;
  let high: MemorySample | undefined;
  const flush = () => {
    if (!low || !high) return;
    const pair = low.tMs <= high.tMs ? [low, high] : [high, low];
    for (const s of low === high ? [low] : pair) points.push(`${round(scale.x(s.tMs))},${round(scale.y(s.rssBytes))}`);
  };
  for (const s of samples) {
    const c = Math.floor(scale.x(s.tMs));
    if (c !== column) {
      flush();
      column = c;
      low = s;
      high = s;
    } else {
      if (s.rssBytes < (low?.rssBytes ?? Infinity)) low = s;
      if (s.rssBytes > (high?.rssBytes ?? -Infinity)) high = s;
    }
  }
  flush();
  return points.join(' ');
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}

function escape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
