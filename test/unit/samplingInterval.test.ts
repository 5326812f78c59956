// The sampling interval's bounds have one owner in core: the setting in package.json, the
// protocol, the panel's choices, the monitor and the CLI all keep to it.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { DEFAULT_INTERVAL_MS, ENGINE_INTERVAL_MS, PANEL_INTERVAL_CHOICES_MS, SETTING_INTERVAL_MS } from '../../src/core/shared/samplingInterval';
import { parseFromWebview } from '../../src/core/protocol';
import { ProcessMonitor } from '../../src/core/monitor';
import { readProcessInfo } from '../../src/core/discovery/processes';
import { fromRoot } from '../helpers/paths';

interface NumberSetting {
  default: number;
  minimum: number;
  maximum: number;
}

function intervalSetting(): NumberSetting {
  const manifest = JSON.parse(readFileSync(fromRoot('package.json'), 'utf8'));
  return manifest.contributes.configuration.properties['leakscope.sampling.intervalMs'];
}

test("package.json's sampling.intervalMs setting has the core's bounds and default", () => {
  const setting = intervalSetting();
  assert.deepEqual(
    { min: setting.minimum, max: setting.maximum, default: setting.default },
    { min: SETTING_INTERVAL_MS.min, max: SETTING_INTERVAL_MS.max, default: DEFAULT_INTERVAL_MS },
  );
});

test('what the extension offers lies within what the engine can do, the panel choices within the setting', () => {
  assert.ok(ENGINE_INTERVAL_MS.min <= SETTING_INTERVAL_MS.min && SETTING_INTERVAL_MS.max <= ENGINE_INTERVAL_MS.max);
  for (const ms of PANEL_INTERVAL_CHOICES_MS) assert.ok(ms >= SETTING_INTERVAL_MS.min && ms <= SETTING_INTERVAL_MS.max, `${ms} ms`);
});

test('the protocol takes exactly the setting range from the panel', () => {
  const accepts = (ms: number) => parseFromWebview({ type: 'setInterval', ms }) !== undefined;
  assert.ok(accepts(SETTING_INTERVAL_MS.min) && accepts(SETTING_INTERVAL_MS.max));
  assert.ok(!accepts(SETTING_INTERVAL_MS.min - 1) && !accepts(SETTING_INTERVAL_MS.max + 1));
});

test('the monitor refuses an interval outside the engine range, and takes its ends', async () => {
  const monitor = new ProcessMonitor(await readProcessInfo(process.pid), { intervalMs: ENGINE_INTERVAL_MS.min });
  try {
    monitor.setIntervalMs(ENGINE_INTERVAL_MS.max);
    assert.throws(() => monitor.setIntervalMs(ENGINE_INTERVAL_MS.min - 1), RangeError);
    assert.throws(() => monitor.setIntervalMs(ENGINE_INTERVAL_MS.max + 1), RangeError);
  } finally {
    monitor.dispose();
  }
});
