// Fix variants the corpus does not reach: each snippet fires where expected, and every fix on
// it re-parses cleanly and silences its finding.
import test from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits, Language } from '../../../src/core/rules';
import { editProblems, fixProblems, sharedEngine } from './support';

interface Case {
  name: string;
  language: Language;
  text: string[];
  /** `line:rule` (1-based). */
  expect: string[];
  /** Text every fix's result must contain, per fix title fragment. */
  contains?: Record<string, string>;
}

const CASES: Case[] = [
  {
    name: 'python: handler stored into a registry dict is popped in a finally',
    language: 'python',
    text: [
      'class Client:',
      '    def __init__(self, bus):',
      '        self.bus = bus',
      '',
      '    async def request(self, request_id, payload):',
      '        done = asyncio.Event()',
      '        def on_reply(reply):',
      '            done.set()',
      '        self.bus.handlers[request_id] = on_reply',
      '        await self.bus.send(payload)',
      '        await done.wait()',
    ],
    expect: ['9:handler-not-cleared'],
    contains: { 'Clear the handler': 'finally:\n            self.bus.handlers.pop(request_id, None)' },
  },
  {
    name: 'python: tab-indented file keeps tabs in inserted blocks',
    language: 'python',
    text: ['_memo_cache = {}', '', 'def get(key):', '\t_memo_cache[key] = compute(key)', '\treturn _memo_cache[key]'],
    expect: ['4:unbounded-cache'],
    contains: { 'Evict': '\twhile len(_memo_cache) > 1000:\n\t\t_memo_cache.pop(' },
  },
  {
    name: 'python: a sliced history gets the trim fix only (a deque cannot slice)',
    language: 'python',
    text: ['loss_history = []', '', 'def step(loss):', '    loss_history.append(loss)', '    return sum(loss_history[-10:]) / 10'],
    expect: ['4:unbounded-collection'],
    contains: { 'Keep only': 'del loss_history[:-10000]' },
  },
  {
    name: 'python: bare @cache imported from functools becomes lru_cache(maxsize=128) with its import',
    language: 'python',
    text: ['from functools import cache', '', '@cache', 'def load(path):', '    return open(path).read()'],
    expect: ['3:method-lru-cache'],
    contains: { 'Bound': 'from functools import lru_cache' },
  },
  {
    name: 'python: @property over @lru_cache() becomes functools.cached_property; with __slots__ there is no safe fix',
    language: 'python',
    text: [
      'import functools',
      '',
      'class Network:',
      '    def __init__(self, cidr):',
      '        self.cidr = cidr',
      '',
      '    @property',
      '    @functools.lru_cache()',
      '    def is_private(self):',
      '        return self.cidr.startswith("10.")',
    ],
    expect: ['8:method-lru-cache'],
    contains: { 'cached_property': '    @functools.cached_property\n    def is_private(self):' },
  },
  {
    name: 'python: FileHandler imported by name, basicConfig with filename only',
    language: 'python',
    text: [
      'import logging',
      'from logging import FileHandler',
      '',
      'handler = FileHandler("app.log", mode="w")',
      'logging.basicConfig(filename="root.log", level=logging.INFO)',
    ],
    expect: ['4:log-no-rotation', '5:log-no-rotation'],
    contains: { 'Use a RotatingFileHandler': 'import logging.handlers' },
  },
  {
    name: 'python: objective without a loop gets the guard at the top of its body',
    language: 'python',
    text: [
      'import optuna',
      '',
      'def objective(trial):',
      '    x = trial.suggest_float("x", -10, 10)',
      '    return (x - 2) ** 2',
      '',
      'study = optuna.create_study()',
      'study.optimize(objective, n_trials=100)',
    ],
    expect: ['3:trial-no-guard'],
    contains: { 'Prune': 'study.optimize(objective, n_trials=100, gc_after_trial=True)' },
  },
  {
    name: 'python: cuda cleanup goes after the gc.collect() that follows the del',
    language: 'python',
    text: [
      'import gc',
      'import torch',
      '',
      'def train_epoch(model, loader):',
      '    for batch in loader:',
      '        outputs = model(batch.cuda())',
      '        del outputs',
      '        gc.collect()',
    ],
    expect: ['7:cuda-cache'],
    contains: { 'empty_cache': 'gc.collect()\n        torch.cuda.empty_cache()' },
  },
  {
    name: 'python: an objective method passed as self.objective, with a training loop',
    language: 'python',
    text: [
      'import optuna',
      '',
      'class Search:',
      '    def objective(self, trial):',
      '        total = 0.0',
      '        for epoch in range(10):',
      '            total += self.train(trial, epoch)',
      '        return total',
      '',
      '    def run(self):',
      '        optuna.create_study().optimize(self.objective, n_trials=20)',
    ],
    expect: ['4:trial-no-guard'],
    contains: { 'Prune': '        for epoch in range(10):\n            elapsed_time = time.time() - trial_start_time' },
  },
  {
    name: 'python: writelines in a loop',
    language: 'python',
    text: ['async def relay(reader, writer):', '    async for line in reader:', '        writer.writelines([line, b"\\n"])'],
    expect: ['3:stream-no-drain'],
    contains: { 'drain': 'await writer.drain()' },
  },
  {
    name: 'python: a StreamWriter held on self',
    language: 'python',
    text: ['class Feed:', '    async def pump(self, items):', '        for item in items:', '            self.writer.write(item)'],
    expect: ['4:stream-no-drain'],
    contains: { 'drain': 'await self.writer.drain()' },
  },
  {
    name: 'js: interval in a class with a stop() method is cleared there',
    language: 'javascript',
    text: [
      'class Heartbeat {',
      '  constructor(socket) {',
      '    this.socket = socket;',
      '    setInterval(() => this.socket.ping(), 1000);',
      '  }',
      '',
      '  stop() {',
      '    this.socket.close();',
      '  }',
      '}',
    ],
    expect: ['4:timer-not-cleared'],
    contains: { 'stop()': 'stop() {\n    clearInterval(this.interval);' },
  },
  {
    name: 'ts: object cache and an addListener in a route handler',
    language: 'typescript',
    text: [
      "import { EventEmitter } from 'node:events';",
      'const events = new EventEmitter();',
      'const htmlCache: Record<string, string> = {};',
      'export function render(app: App): void {',
      "  app.get('/x', (req: Req, res: Res) => {",
      "    events.addListener('changed', () => res.end());",
      '    htmlCache[req.url] = String(Date.now());',
      '  });',
      '}',
    ],
    expect: ['6:handler-not-cleared', '7:unbounded-cache'],
    contains: { 'when req closes': "req.on('close', () => events.removeListener('changed', onChanged));" },
  },
];

test('the edit checker itself catches overlaps and edits outside the document', () => {
  const r = (startLine: number, startColumn: number, endLine: number, endColumn: number) => ({ startLine, startColumn, endLine, endColumn });
  assert.deepEqual(editProblems('abc\ndef\n', [{ range: r(0, 0, 0, 2), newText: 'x' }, { range: r(0, 3, 0, 3), newText: 'y' }]), []);
  assert.deepEqual(editProblems('abc\n', [{ range: r(0, 0, 0, 2), newText: 'x' }, { range: r(0, 1, 0, 3), newText: 'y' }]), ['edits 0 and 1 overlap']);
  assert.deepEqual(editProblems('abc\n', [{ range: r(0, 0, 0, 3), newText: 'x' }, { range: r(0, 1, 0, 1), newText: 'y' }]), ['edits 0 and 1 overlap', 'edit 1 inserts inside edit 0']);
  assert.deepEqual(editProblems('abc\n', [{ range: r(0, 4, 0, 4), newText: 'x' }]), ['edit outside the document at 0:4', 'edit outside the document at 0:4']);
});

test('python: @property over a cache in a __slots__ class is reported without a fix', async () => {
  const engine = await sharedEngine();
  const text = ['import functools', 'class A:', '    __slots__ = ("x",)', '    @property', '    @functools.lru_cache()', '    def big(self):', '        return self.x * 2', ''].join('\n');
  const findings = engine.scan(text, 'python');
  assert.deepEqual(findings.map((f) => `${f.range.startLine + 1}:${f.rule}:${f.fixes.length}`), ['5:method-lru-cache:0']);
});

for (const c of CASES) {
  test(c.name, async () => {
    const engine = await sharedEngine();
    const text = c.text.join('\n') + '\n';
    const findings = engine.scan(text, c.language);
    assert.deepEqual(engine.lastRuleErrors, []);
    assert.deepEqual(findings.map((f) => `${f.range.startLine + 1}:${f.rule}`), c.expect);
    const titles = findings.flatMap((f) => f.fixes.map((fix) => fix.title));
    for (const title of Object.keys(c.contains ?? {})) assert.ok(titles.some((t) => t.includes(title)), `no fix titled like "${title}" in ${titles.join(' | ')}`);
    for (const finding of findings) {
      assert.ok(finding.fixes.length > 0, `${finding.rule} has no fix`);
      for (const fix of finding.fixes) {
        assert.deepEqual(fixProblems(engine, text, c.language, finding, fix), [], fix.title);
        for (const [title, snippet] of Object.entries(c.contains ?? {})) {
          if (fix.title.includes(title)) assert.ok(applyEdits(text, fix.edits).includes(snippet), `"${fix.title}" result lacks:\n${snippet}\n---\n${applyEdits(text, fix.edits)}`);
        }
      }
    }
  });
}
