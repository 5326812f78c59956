import test from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatBytes, formatDuration, formatRate, formatSignedBytes, parseBytes, parseDuration } from '../../src/core/units';

const GB = 1024 ** 3;
const MB = 1024 ** 2;

test('formatBytes shows three significant digits in binary units labelled like ps and htop', () => {
  assert.equal(formatBytes(0), '0 B');
  assert.equal(formatBytes(512), '512 B');
  assert.equal(formatBytes(1.24 * GB), '1.24 GB');
  assert.equal(formatBytes(12.34 * MB), '12.3 MB');
  assert.equal(formatBytes(124 * GB), '124 GB');
  assert.equal(formatBytes(12 * GB), '12 GB');
  assert.equal(formatBytes(-3 * MB), '-3 MB');
  assert.equal(formatBytes(1023.9 * 1024), '1 MB', 'rounding up to 1024 moves to the next unit');
  assert.equal(formatSignedBytes(3 * MB), '+3 MB');
  assert.equal(formatSignedBytes(0), '0 B');
});

test('parseBytes reads the forms the settings allow and throws on junk', () => {
  assert.equal(parseBytes('12G'), 12 * GB);
  assert.equal(parseBytes('12GB'), 12 * GB);
  assert.equal(parseBytes('12 GB'), 12 * GB);
  assert.equal(parseBytes('800MiB'), 800 * MB);
  assert.equal(parseBytes('1.5g'), 1.5 * GB);
  assert.equal(parseBytes('4096'), 4096);
  assert.equal(parseBytes('10kb'), 10240);
  assert.equal(parseBytes('7B'), 7);
  for (const junk of ['', 'G', '12 XB', '12GBs', 'twelve', '1.2.3G', '-5G', '12iB']) {
    assert.throws(() => parseBytes(junk), RangeError, junk);
  }
});

test('formatBytes and parseBytes round-trip within display precision', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1024, max: 2 ** 50 }), (n) => {
      const back = parseBytes(formatBytes(n).replace(' ', ''));
      assert.ok(Math.abs(back - n) / n < 0.01, `${n} → ${formatBytes(n)} → ${back}`);
    }),
  );
});

test('parseDuration reads unit sums and bare seconds, and throws on junk', () => {
  assert.equal(parseDuration('30m'), 30 * 60_000);
  assert.equal(parseDuration('1h30m'), 90 * 60_000);
  assert.equal(parseDuration('1h 30m'), 90 * 60_000);
  assert.equal(parseDuration('90s'), 90_000);
  assert.equal(parseDuration('1s'), 1000);
  assert.equal(parseDuration('500ms'), 500);
  assert.equal(parseDuration('2d'), 2 * 86_400_000);
  assert.equal(parseDuration('30min'), 30 * 60_000);
  assert.equal(parseDuration('1.5h'), 90 * 60_000);
  assert.equal(parseDuration('2'), 2000);
  for (const junk of ['', 'm', '10 parsecs', '1h30', '-5s', '5s!']) {
    assert.throws(() => parseDuration(junk), RangeError, junk);
  }
});

test('formatDuration reads as people say it', () => {
  assert.equal(formatDuration(500), '500 ms');
  assert.equal(formatDuration(42_000), '42 s');
  assert.equal(formatDuration(43 * 60_000), '43 min');
  assert.equal(formatDuration(90 * 60_000), '1 h 30 min');
  assert.equal(formatDuration(2 * 3_600_000), '2 h');
  assert.equal(formatDuration(51 * 3_600_000), '2 d 3 h');
});

test('formatRate is per minute', () => {
  assert.equal(formatRate((12 * MB) / 60), '12 MB/min');
  assert.equal(formatRate(-(512 * 1024) / 60), '-512 KB/min');
  assert.equal(formatRate(0), '0 B/min');
});
