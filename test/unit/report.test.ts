// The reports of `leakscope run` from run data: a JUnit file that stays valid whatever a command
// line or an explanation holds, and a Markdown summary whose chart is inline SVG.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { validateXML } from 'xmllint-wasm';
import { fromRoot } from '../helpers/paths';
import { GrowthVerdict, MemorySample } from '../../src/core/model';
import { RunResult, WatchedProcessResult } from '../../src/core/report/runResult';
import { runToJunitXml } from '../../src/core/report/junit';
import { runToMarkdown } from '../../src/core/report/markdown';
import { runReportToJson } from '../../src/core/report/json';

const MB = 1024 ** 2;
const T0 = 1_796_000_000_000;

function samples(n: number, bytesPerS: number): MemorySample[] {
  return Array.from({ length: n }, (_, i) => ({ tMs: T0 + i * 1000, rssBytes: 50 * MB + i * bytesPerS, deltaBytes: i === 0 ? 0 : bytesPerS, threads: 1, fds: 3, childrenRssBytes: 0, childCount: 0, cpuPercent: 5 }));
}

const LEAK: GrowthVerdict = { class: 'steady-leak', confidence: 0.93, slopeBytesPerS: MB, slopeUncertaintyBytesPerS: 1000, regimeStartMs: T0, explanation: 'Steady leak: baseline grows 60 MB/min <since start> & "more"' };
const FLAT: GrowthVerdict = { class: 'flat', confidence: 0.9, slopeBytesPerS: 0, slopeUncertaintyBytesPerS: 10, regimeStartMs: T0, explanation: 'Flat' };

function processResult(pid: number, verdict: GrowthVerdict, leak: GrowthVerdict | undefined, rate: number): WatchedProcessResult {
  const s = samples(120, rate);
  return {
    pid,
    command: `python3 load.py --name "<a&b>" \u0001\u001b[0m`,
    summary: { pid, reason: 'exited', message: '', startedAtMs: T0, endedAtMs: T0 + 120_000, durationMs: 120_000, startRssBytes: s[0].rssBytes, endRssBytes: s[119].rssBytes, peakRssBytes: s[119].rssBytes, samples: 120 },
    verdict,
    leak,
    limitsReached: [],
    iterations: { noun: 'step', growth: { bytesPerIteration: 3174, firstIteration: 0, lastIteration: 5000, samples: 100 } },
    samples: s,
    events: [],
  };
}

function result(processes: WatchedProcessResult[]): RunResult {
  return { argv: ['python3', 'load.py', '<&>'], startedAtMs: T0, endedAtMs: T0 + 121_000, programExit: { code: null, signal: 'SIGTERM' }, failOn: ['leak'], warmUpMs: 30_000, gateFailure: 'leak', ending: 'stopped: a leak', exitCode: 7, processes };
}

test('the JUnit report validates with hostile text, one test case per process, failed on a leak with the verdict and slope', async () => {
  const xml = runToJunitXml(result([processResult(10, LEAK, LEAK, MB), processResult(11, FLAT, undefined, 0)]));
  const schema = readFileSync(fromRoot('test', 'fixtures', 'junit', 'junit.xsd'), 'utf8');
  const validation = await validateXML({ xml: { fileName: 'r.xml', contents: xml }, schema: { fileName: 'junit.xsd', contents: schema } });
  assert.equal(validation.valid, true, validation.errors.map((e) => e.message).join('\n'));
  assert.match(xml, /<testsuites name="leakscope run" tests="2" failures="1" errors="0" time="121.000">/);
  assert.match(xml, /<failure message="steady-leak \(confidence 0.93, 60 MB\/min\): Steady leak: baseline grows 60 MB\/min &lt;since start&gt; &amp; &quot;more&quot;" type="steady-leak">/);
  assert.equal((xml.match(/<testcase /g) ?? []).length, 2);
  assert.match(xml, /Growth per iteration: \+3.03 MB per 1,000 steps\./);
});

test('the Markdown summary says pass or fail, a row per process, and draws each chart as one inline SVG line', () => {
  const md = runToMarkdown(result([processResult(10, LEAK, LEAK, MB)]));
  assert.match(md, /^## Leakscope: ❌ failed — `python3 load\.py <&>`/);
  assert.match(md, /\| ❌ pid 10 `python3 load\.py --name "<a&b>"/);
  const svgLines = md.split('\n').filter((l) => l.startsWith('<svg'));
  assert.equal(svgLines.length, 1);
  assert.match(svgLines[0], /<polyline fill="none" stroke="#d1242f"[^>]* points="(\d+(\.\d)?,\d+(\.\d)? ){100,}/);
  assert.match(svgLines[0], /warm-up ends/);
  assert.doesNotMatch(svgLines[0], /<script|href=/);
});

test('the JSON report carries the gate, the verdicts and growth per iteration', () => {
  const json = JSON.parse(runReportToJson(result([processResult(10, LEAK, LEAK, MB)]))) as { format: string; exit_code: number; gate_failure: string; processes: { leak: { class: string }; iterations: { text: string } }[] };
  assert.equal(json.format, 'leakscope-run-report');
  assert.equal(json.exit_code, 7);
  assert.equal(json.gate_failure, 'leak');
  assert.equal(json.processes[0].leak.class, 'steady-leak');
  assert.equal(json.processes[0].iterations.text, '+3.03 MB per 1,000 steps');
});
