import test from 'node:test';
import assert from 'node:assert/strict';
import { GrowthClassifier, analyzeSeries } from '../../../src/core/classifier';
import { FEATURE_SIGN, LIVE_FEATURES, LIVE_MODELS, liveConfidence } from '../../../src/core/classifier/liveCalibration';
import type { Analysis } from '../../../src/core/classifier';
import { isLeakAlert, LEAK_NOTIFY_CONFIDENCE } from '../../../src/core/session';
import { generate } from './synthetic';

const MB = 1024 * 1024;

function look(cls: Analysis['class'], rawConfidence: number, spanS: number): Analysis {
  const base = analyzeSeries([0, 1000], [MB, MB]);
  return { ...base, class: cls, rawConfidence, spanMs: spanS * 1000 };
}

test('the shipped live models have a weight per feature, each of its declared sign (monotone)', () => {
  for (const kind of ['leak', 'no-leak'] as const) {
    const { weights } = LIVE_MODELS[kind];
    assert.equal(weights.length, LIVE_FEATURES[kind].length + 1, kind);
    LIVE_FEATURES[kind].forEach((name, i) => assert.ok(weights[i + 1] * FEATURE_SIGN[name] >= 0, `${kind} ${name}: ${weights[i + 1]}`));
  }
});

test('the live confidence is bounded and never falls with a surer fit or a longer watch', () => {
  for (const cls of ['steady-leak', 'flat'] as const) {
    let previousBySpan = -1;
    for (const spanS of [20, 45, 120, 600, 3600, 86_400]) {
      let previousByRaw = -1;
      for (const raw of [0, 0.5, 0.9, 0.95, 0.99, 0.999, 1]) {
        const p = liveConfidence(look(cls, raw, spanS));
        assert.ok(p > 0 && p < 1, `${cls} ${raw} ${spanS}: ${p}`);
        assert.ok(p >= previousByRaw, `${cls}: raw ${raw} at ${spanS} s`);
        previousByRaw = p;
      }
      const atOne = liveConfidence(look(cls, 1, spanS));
      assert.ok(atOne >= previousBySpan, `${cls}: ${spanS} s`);
      previousBySpan = atOne;
    }
  }
  assert.equal(liveConfidence(look('unknown', 1, 3600)), 0);
});

test('a leak seen for a minute is stated less sure live than one seen for an hour, and the text says the same', () => {
  const { tMs, rssBytes } = generate({ durationS: 3600, intervalS: 1, levelBytes: 500 * MB, noiseSigmaBytes: 1 * MB, leak: { bytesPerS: (20 * MB) / 60 } }, 3);
  const c = new GrowthClassifier();
  let early: number | undefined;
  for (let i = 0; i < tMs.length; i++) {
    c.push(tMs[i], rssBytes[i]);
    const v = c.verdict();
    if (early === undefined && v.class === 'steady-leak') early = v.confidence;
  }
  const late = c.verdict();
  assert.equal(late.class, 'steady-leak');
  assert.ok(early !== undefined && early < late.confidence, `${early} vs ${late.confidence}`);
  assert.match(late.explanation, new RegExp(`${Math.min(99, Math.floor(late.confidence * 100))}% confidence$`));
});

test('the alert rule: a leak class at the notify bar, nothing else', () => {
  assert.ok(isLeakAlert({ class: 'steady-leak', confidence: LEAK_NOTIFY_CONFIDENCE }));
  assert.ok(isLeakAlert({ class: 'stepwise-leak', confidence: 1 }));
  assert.ok(!isLeakAlert({ class: 'steady-leak', confidence: LEAK_NOTIFY_CONFIDENCE - 0.01 }));
  assert.ok(!isLeakAlert({ class: 'plateau', confidence: 1 }));
});
