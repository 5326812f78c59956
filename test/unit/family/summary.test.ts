// The family's summary sentence, from members' verdicts as the classifier gives them.
import test from 'node:test';
import assert from 'node:assert/strict';
import { familySummary, MemberStatus, workerCounts } from '../../../src/core/family';
import { GrowthClass, GrowthVerdict } from '../../../src/core/model';
import { LEAK_NOTIFY_CONFIDENCE } from '../../../src/core/session';

const MB = 1024 ** 2;

function verdict(cls: GrowthClass, slopeMbPerMin = 0, confidence = 0.95): GrowthVerdict {
  return { class: cls, confidence, slopeBytesPerS: (slopeMbPerMin * MB) / 60, slopeUncertaintyBytesPerS: 1000, regimeStartMs: 0, explanation: '' };
}

function member(slot: number, pid: number, v: GrowthVerdict, extra: Partial<MemberStatus> = {}): MemberStatus {
  return { slot, pid, live: true, verdict: v, ...extra };
}

const flatFamily = [member(0, 100, verdict('flat')), member(1, 101, verdict('flat')), member(2, 102, verdict('flat')), member(3, 103, verdict('flat')), member(4, 104, verdict('flat'))];

test('names the one leaking worker, counted among the live workers, and says the others are flat', () => {
  const members = flatFamily.map((m) => (m.slot === 3 ? { ...m, verdict: verdict('steady-leak', 2.1) } : m));
  assert.equal(familySummary(members), 'Worker 3 of 4 (pid 103): steady leak 2.1 MB/min; the others flat');
});

test('a worker that replaced another in its slot says which', () => {
  const members = flatFamily.map((m) => (m.slot === 2 ? { ...m, pid: 110, replacedPid: 102, verdict: verdict('stepwise-leak', 60) } : m));
  assert.equal(familySummary(members), 'Worker 2 of 4 (pid 110, replaced pid 102): stepwise leak 60 MB/min; the others flat');
});

test('several leaking members come fastest first', () => {
  const members = flatFamily.map((m) => (m.slot === 1 ? { ...m, verdict: verdict('steady-leak', 1) } : m.slot === 4 ? { ...m, verdict: verdict('steady-leak', 3) } : m));
  assert.equal(
    familySummary(members),
    '2 of 5 members leak, fastest first: worker 4 of 4 (pid 104): steady leak 3 MB/min; worker 1 of 4 (pid 101): steady leak 1 MB/min; the others flat',
  );
});

test('a leak stated below even odds is named by its growth, one at or above plainly as a leak', () => {
  const members = (confidence: number): MemberStatus[] => flatFamily.map((m) => (m.slot === 3 ? { ...m, verdict: verdict('steady-leak', 2, confidence) } : m));
  // The live confidence of a leak seen for a minute is ~30–40% (liveCalibration.ts); the alert has no bar today.
  assert.equal(LEAK_NOTIFY_CONFIDENCE, 0);
  assert.equal(familySummary(members(0.35)), 'Worker 3 of 4 (pid 103): steady growth 2 MB/min; the others flat');
  assert.equal(familySummary(members(0.5)), 'Worker 3 of 4 (pid 103): steady leak 2 MB/min; the others flat');
});

test('undecided and uniform families', () => {
  assert.equal(familySummary(flatFamily), 'No leak: all 5 members flat');
  assert.equal(familySummary(flatFamily.map((m) => ({ ...m, verdict: verdict('unknown') }))), 'No leak: all 5 members undecided');
  assert.equal(familySummary([]), 'No member is running');
});

test('exited members leave the count but a leak they had is still said', () => {
  const members = [...flatFamily.filter((m) => m.slot !== 4), member(4, 104, verdict('steady-leak', 5), { live: false })];
  assert.equal(familySummary(members), 'No leak: all 4 members flat; exited while leaking: worker 4 (pid 104) steady leak 5 MB/min');
});

test('a worker between its exit and its replacement still counts in "of N"', () => {
  const members = flatFamily.filter((m) => m.slot !== 2).map((m) => (m.slot === 3 ? { ...m, verdict: verdict('steady-leak', 2.1) } : m));
  assert.equal(familySummary(members, 4), 'Worker 3 of 4 (pid 103): steady leak 2.1 MB/min; the others flat');
  assert.equal(familySummary(members), 'Worker 3 of 3 (pid 103): steady leak 2.1 MB/min; the others flat');
});

test('workerCounts: the listed descendants of each listed process, through any depth', () => {
  const counts = workerCounts([
    { pid: 10, ppid: 1 }, // master
    { pid: 11, ppid: 10 },
    { pid: 12, ppid: 10 },
    { pid: 13, ppid: 12 }, // a worker's own worker
    { pid: 20, ppid: 1 }, // alone
    { pid: 31, ppid: 30 }, // parent not listed (a shell)
  ]);
  assert.deepEqual([...counts].sort((a, b) => a[0] - b[0]), [[10, 3], [12, 1]]);
});

test('several members, one of them below even odds: they "may leak", each named as stated', () => {
  const members = flatFamily.map((m) => (m.slot === 1 ? { ...m, verdict: verdict('steady-leak', 1, 0.3) } : m.slot === 4 ? { ...m, verdict: verdict('steady-leak', 3) } : m));
  assert.equal(
    familySummary(members),
    '2 of 5 members may leak, fastest first: worker 4 of 4 (pid 104): steady leak 3 MB/min; worker 1 of 4 (pid 101): steady growth 1 MB/min; the others flat',
  );
});
