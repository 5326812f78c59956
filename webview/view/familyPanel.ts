// The family's small multiple: one card per member (its recent RSS as a sparkline on a scale
// shared by all, so the leaker's climbs and the others' stay low), and one for the total.
import { FamilyMemberView, FamilyView } from '../../src/core/protocol';
import { formatBytes } from '../../src/core/units';
import { h, setChildren } from './dom';

const SVG_NS = 'http://www.w3.org/2000/svg';
const WIDTH = 160;
const HEIGHT = 40;

export class FamilyPanel {
  readonly root = h('section', { id: 'family', class: 'family', 'aria-label': 'Process family', hidden: true });
  private shown: FamilyView | null = null;

  /** Rebuilt only when a new picture came (every 2 s at most), not at every frame. */
  update(family: FamilyView | null): void {
    if (family === this.shown) return;
    this.shown = family;
    if (!family) {
      this.root.hidden = true;
      setChildren(this.root);
      return;
    }
    this.root.hidden = false;
    const scaleMax = Math.max(1, ...family.members.flatMap((m) => m.rss));
    const totalNow = family.total.rss.at(-1) ?? 0;
    setChildren(
      this.root,
      h('h2', { class: 'family-title' }, `Family: ${family.members.filter((m) => m.live).length} live members, ${formatBytes(totalNow)} in total`),
      h(
        'div',
        { class: 'family-grid', role: 'list' },
        ...family.members.map((m) => memberCard(m, scaleMax)),
        card('family-card total', 'Total', formatBytes(totalNow), sparkline(family.total.t, family.total.rss, Math.max(1, ...family.total.rss)), 'all live members'),
      ),
    );
  }
}

function memberCard(member: FamilyMemberView, scaleMax: number): HTMLElement {
  const classes = ['family-card', member.leaking ? 'leaking' : '', member.live ? '' : 'exited'].filter(Boolean).join(' ');
  const now = member.rss.at(-1);
  const verdict = member.live ? member.verdict : `exited · last: ${member.verdict}`;
  const element = card(classes, member.label, now === undefined ? '–' : formatBytes(now), sparkline(member.t, member.rss, scaleMax), verdict);
  element.dataset.pid = String(member.pid);
  return element;
}

function card(classes: string, title: string, value: string, chart: SVGSVGElement, caption: string): HTMLElement {
  return h('div', { class: classes, role: 'listitem' }, h('div', { class: 'family-card-title', title }, title), h('div', { class: 'family-card-value' }, value), chart, h('div', { class: 'family-card-caption' }, caption));
}

/** A polyline of RSS over the member's own time span, from 0 to `scaleMax`. */
function sparkline(t: readonly number[], rss: readonly number[], scaleMax: number): SVGSVGElement {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', `0 0 ${WIDTH} ${HEIGHT}`);
  svg.setAttribute('class', 'family-spark');
  svg.setAttribute('aria-hidden', 'true');
  if (t.length < 2) return svg;
  const t0 = t[0];
  const span = Math.max(1, t[t.length - 1] - t0);
  const points = t.map((x, i) => `${(((x - t0) / span) * WIDTH).toFixed(1)},${(HEIGHT - (rss[i] / scaleMax) * (HEIGHT - 2) - 1).toFixed(1)}`);
  const line = document.createElementNS(SVG_NS, 'polyline');
  line.setAttribute('points', points.join(' '));
  svg.append(line);
  return svg;
}
