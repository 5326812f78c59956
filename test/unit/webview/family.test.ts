// The panel of a process family in headless Chromium: the small multiple of members (the
// leaker marked), the total, and the family's summary leading the verdict banner. The family
// message is built like the host's (FamilyView, its sentence from the core's familySummary).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { familySummary, MemberStatus } from '../../../src/core/family';
import { GrowthVerdict } from '../../../src/core/model';
import { FamilyMessage, FamilyView } from '../../../src/core/protocol';
import { fromRoot } from '../../helpers/paths';
import { Browser, browserUnavailable, launchBrowser, openPanelPage } from './fixtures/harness';
import { SCENE_START_MS, sceneInit } from './fixtures/scene';

const MB = 2 ** 20;
const skip = browserUnavailable();
const shots = fromRoot('.test-artifacts', 'webview');

function verdict(cls: GrowthVerdict['class'], bytesPerS = 0): GrowthVerdict {
  return { class: cls, confidence: 0.95, slopeBytesPerS: bytesPerS, slopeUncertaintyBytesPerS: 100, regimeStartMs: SCENE_START_MS, explanation: '' };
}

/** Five minutes at 1 Hz: a flat member wobbles around `baseMb`, a leaking one climbs 1 MB/s. */
function curve(baseMb: number, leakMbPerS: number): { t: number[]; rss: number[] } {
  const t = Array.from({ length: 300 }, (_, i) => SCENE_START_MS + i * 1000);
  return { t, rss: t.map((_, i) => Math.round((baseMb + leakMbPerS * i + 0.3 * Math.sin(i / 7)) * MB)) };
}

function familyMessage(): FamilyMessage {
  const statuses: (MemberStatus & { base: number; leak: number })[] = [
    { slot: 0, pid: 4100, live: true, verdict: verdict('flat'), base: 8, leak: 0 },
    { slot: 1, pid: 4101, live: true, verdict: verdict('flat'), base: 6, leak: 0 },
    { slot: 2, pid: 4130, replacedPid: 4102, live: true, verdict: verdict('unknown'), base: 6, leak: 0 },
    { slot: 3, pid: 4103, live: true, verdict: verdict('steady-leak', MB), base: 7, leak: 1 },
    { slot: 4, pid: 4104, live: true, verdict: verdict('flat'), base: 6, leak: 0 },
    { slot: 2, pid: 4102, live: false, verdict: verdict('plateau'), base: 6, leak: 0 },
  ];
  const members = statuses.map((m) => ({
    label: m.slot === 0 ? `master (pid ${m.pid})` : `worker ${m.slot} (pid ${m.pid}${m.replacedPid ? `, replaced pid ${m.replacedPid}` : ''})`,
    pid: m.pid,
    live: m.live,
    leaking: m.verdict.class === 'steady-leak',
    verdict: m.verdict.class === 'steady-leak' ? 'steady leak 60 MB/min' : m.verdict.class === 'unknown' ? 'undecided' : m.verdict.class,
    ...curve(m.base, m.leak),
  }));
  const live = members.filter((m) => m.live);
  const total = { t: live[0].t, rss: live[0].t.map((_, i) => live.reduce((sum, m) => sum + m.rss[i], 0)) };
  const family: FamilyView = { summary: familySummary(statuses, 4), leaking: true, members, total };
  return { type: 'family', family };
}

describe('a family in the panel', { skip }, () => {
  let browser: Browser;
  let dispose: () => Promise<void>;

  before(async () => {
    ({ browser, dispose } = await launchBrowser());
    mkdirSync(shots, { recursive: true });
  });
  after(async () => dispose?.());

  it('draws each member, marks the leaker, shows the total and leads the banner with the summary (screenshot)', async () => {
    const panel = await openPanelPage(browser, { theme: 'dark', width: 1000, height: 1200 });
    const init = sceneInit(300);
    await panel.send({ ...init, verdict: verdict('flat'), probe: null });
    assert.equal(await panel.page.locator('#family:visible').count(), 0, 'no family section for a lone process');
    await panel.send(familyMessage());
    await panel.frames();
    const verdictText = (await panel.page.locator('#verdict').textContent()) ?? '';
    assert.match(verdictText, /Leak in the family/);
    assert.match(verdictText, /Worker 3 of 4 \(pid 4103\): steady leak 60 MB\/min; the others 3 flat, 1 undecided/);
    assert.equal(await panel.page.locator('#family .family-card').count(), 7, 'six members and the total');
    assert.equal(await panel.page.locator('#family .family-card.leaking').count(), 1);
    assert.match((await panel.page.locator('#family .family-card.leaking').textContent()) ?? '', /worker 3 \(pid 4103\).*steady leak 60 MB\/min/s);
    assert.match((await panel.page.locator('#family .family-card.exited').textContent()) ?? '', /worker 2 \(pid 4102\).*exited · last: plateau/s);
    assert.match((await panel.page.locator('#family .family-title').textContent()) ?? '', /5 live members, [\d.]+ MB in total/);
    assert.equal(await panel.page.locator('#family polyline').count(), 7);
    await panel.page.screenshot({ path: `${shots}/panel-family-dark.png`, fullPage: true });

    await panel.send({ type: 'family', family: null });
    await panel.frames();
    assert.equal(await panel.page.locator('#family:visible').count(), 0, 'cleared');
    assert.deepEqual(await panel.cspViolations(), []);
    assert.deepEqual(panel.errors, []);
  });

  it('ignores a malformed family message', async () => {
    const panel = await openPanelPage(browser, { theme: 'dark' });
    await panel.send(sceneInit(300));
    const bad = familyMessage();
    bad.family?.members[0].rss.pop(); // a curve whose columns differ in length
    await panel.send(bad);
    await panel.frames();
    assert.equal(await panel.page.locator('#family:visible').count(), 0);
  });
});
