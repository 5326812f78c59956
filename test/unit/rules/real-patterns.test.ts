// Shapes of leaks real projects shipped (issue 13), written from each rule's spec: every leak
// snippet fires on its line and every fix there re-parses and silences it; every look-alike
// (bounded, removed, cleared, set up once) stays quiet.
import test from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits, Language } from '../../../src/core/rules';
import { fixProblems, sharedEngine } from './support';

interface Case {
  name: string;
  language: Language;
  text: string[];
  /** `line:rule` (1-based); empty for a look-alike. */
  expect: string[];
  /** Text the preferred fix's result must contain. */
  fixed?: string;
}

const LEAKS: Case[] = [
  {
    name: 'js: a memoizing wrapper keeps a Map in the closure it returns, never evicted',
    language: 'typescript',
    text: [
      'export function withCache(fn: (url: string) => string) {',
      '  const cache = new Map<string, string>();',
      '  return (url: string) => {',
      '    if (cache.has(url)) return cache.get(url);',
      '    const result = fn(url);',
      '    cache.set(url, result);',
      '    return result;',
      '  };',
      '}',
    ],
    expect: ['6:unbounded-cache'],
    fixed: 'cache.delete(key)',
  },
  {
    name: 'js: a decorator-like wrapper returning a named inner function, keyed by its argument',
    language: 'javascript',
    text: [
      'function track(fn) {',
      '  const calls = {};',
      '  function wrapped(userId) {',
      '    calls[userId] = fn(userId);',
      '    return calls[userId];',
      '  }',
      '  return wrapped;',
      '}',
    ],
    expect: ['4:unbounded-collection'],
  },
  {
    name: 'python: a memoizing decorator keeps a dict in its wrapper, keyed by the call arguments',
    language: 'python',
    text: [
      'import functools',
      '',
      'def memoize(fn):',
      '    cache = {}',
      '',
      '    @functools.wraps(fn)',
      '    def wrapper(*args):',
      '        if args in cache:',
      '            return cache[args]',
      '        result = fn(*args)',
      '        cache[args] = result',
      '        return result',
      '',
      '    return wrapper',
    ],
    expect: ['11:unbounded-cache'],
    fixed: 'while len(cache) > 1000:',
  },
  {
    name: 'js: a poller factory re-arms setTimeout and its stop() cannot clear it',
    language: 'typescript',
    text: [
      'export function poller(callback: () => Promise<void>, intervalMs: number) {',
      '  let stopped = false;',
      '  const stop = () => {',
      '    stopped = true;',
      '  };',
      '  async function poll() {',
      '    await callback();',
      '    setTimeout(poll, intervalMs);',
      '  }',
      '  return { start: poll, stop };',
      '}',
    ],
    expect: ['8:timer-not-cleared'],
    fixed: 'clearTimeout(timer);',
  },
  {
    name: 'python: an object registers its inherited close() with atexit and never unregisters',
    language: 'python',
    text: [
      'import atexit',
      'from base import Connection',
      '',
      'class SshConnection(Connection):',
      '    def __init__(self, host):',
      '        self.host = host',
      '        atexit.register(self.close)',
    ],
    expect: ['7:handler-not-cleared'],
    fixed: '    def close(self):\n        atexit.unregister(self.close)\n        super().close()',
  },
  {
    name: 'python: every instance adds a fresh handler to a named, process-wide logger',
    language: 'python',
    text: [
      'import logging',
      '',
      'class Helper:',
      '    def __init__(self, name, out):',
      '        logger = logging.getLogger(name)',
      '        handler = logging.StreamHandler(out)',
      '        logger.addHandler(handler)',
      '        self._logger = logger',
    ],
    expect: ['7:handler-not-cleared'],
    fixed: 'logger.removeHandler(previous)',
  },
  {
    name: 'python: study.optimize with an objective from another module, a timeout and no gc_after_trial',
    language: 'python',
    text: [
      'import optuna',
      'from objectives import XgboostObjective',
      '',
      'def tune(X, y, budget):',
      '    study = optuna.create_study()',
      '    objective = XgboostObjective(X, y)',
      '    study.optimize(objective, n_trials=5000, timeout=budget)',
      '    return study.best_params',
    ],
    expect: ['7:trial-no-guard'],
    fixed: 'gc_after_trial=True',
  },
  {
    name: 'python: a started service keeps per-session state filled from events, never dropped',
    language: 'python',
    text: [
      'class Output:',
      '    def start(self):',
      '        self.sessions = {}',
      '',
      '    def _state(self, session):',
      '        state = self.sessions.get(session)',
      '        if state is None:',
      '            state = {}',
      '            self.sessions[session] = state',
      '        return state',
      '',
      '    def write(self, event):',
      '        state = self._state(event["session"])',
      '        state["last"] = event["time"]',
    ],
    expect: ['9:unbounded-collection'],
  },
  {
    name: 'python: instances register themselves and leave the registry only from __del__',
    language: 'python',
    text: [
      'class Client:',
      '    Register = {}',
      '',
      '    def __init__(self, url):',
      '        self.url = url',
      '        self.Register[id(self)] = self',
      '',
      '    def __del__(self):',
      '        self.cleanup()',
      '',
      '    def cleanup(self):',
      '        if id(self) in self.Register:',
      '            del self.Register[id(self)]',
    ],
    expect: ['6:unbounded-collection'],
  },
  {
    name: 'js: an effect whose cleanup removes one listener and re-adds the others instead of removing them',
    language: 'typescript',
    text: [
      'export function useVideo(video: HTMLVideoElement | null) {',
      '  const onVolume = () => {};',
      '  const onPlay = () => {};',
      '  useEffect(() => {',
      '    if (video) {',
      "      video.addEventListener('volumechange', onVolume);",
      "      video.addEventListener('play', onPlay);",
      '      return () => {',
      "        video.removeEventListener('volumechange', onVolume);",
      "        video.addEventListener('play', onPlay);",
      '      };',
      '    }',
      '  }, [video]);',
      '}',
    ],
    expect: ['7:handler-not-cleared'],
    fixed: "video.removeEventListener('play', onPlay);",
  },
];

const LOOKALIKES: Case[] = [
  {
    name: 'js: an effect whose cleanup removes every listener it added',
    language: 'typescript',
    text: [
      'export function useVideo(video: HTMLVideoElement) {',
      '  const onVolume = () => {};',
      '  const onPlay = () => {};',
      '  useEffect(() => {',
      "    video.addEventListener('volumechange', onVolume);",
      "    video.addEventListener('play', onPlay);",
      '    return () => {',
      "      video.removeEventListener('volumechange', onVolume);",
      "      video.removeEventListener('play', onPlay);",
      '    };',
      '  }, [video]);',
      '}',
    ],
    expect: [],
  },
  {
    name: 'js: a memoizing wrapper that evicts past a size',
    language: 'typescript',
    text: [
      'export function withCache(fn: (url: string) => string) {',
      '  const cache = new Map<string, string>();',
      '  return (url: string) => {',
      '    const result = fn(url);',
      '    cache.set(url, result);',
      '    if (cache.size > 100) cache.delete(cache.keys().next().value!);',
      '    return result;',
      '  };',
      '}',
    ],
    expect: [],
  },
  {
    name: 'js: a function that fills a local map and returns it (no closure keeps it)',
    language: 'javascript',
    text: ['function index(items) {', '  const byId = {};', '  for (const item of items) byId[item.id] = item;', '  return byId;', '}'],
    expect: [],
  },
  {
    name: 'python: a decorator that bounds its dict',
    language: 'python',
    text: [
      'def bounded(fn):',
      '    cache = {}',
      '    def wrapper(key):',
      '        if len(cache) > 100:',
      '            cache.clear()',
      '        cache[key] = fn(key)',
      '        return cache[key]',
      '    return wrapper',
    ],
    expect: [],
  },
  {
    name: 'js: the poller keeps the re-armed handle and stop() clears it',
    language: 'typescript',
    text: [
      'export function poller(callback: () => Promise<void>, intervalMs: number) {',
      '  let nextTimer: ReturnType<typeof setTimeout> | undefined;',
      '  const stop = () => {',
      '    if (nextTimer) clearTimeout(nextTimer);',
      '  };',
      '  async function poll() {',
      '    await callback();',
      '    nextTimer = setTimeout(poll, intervalMs);',
      '  }',
      '  return { start: poll, stop };',
      '}',
    ],
    expect: [],
  },
  {
    name: 'js: a re-arming timer in a plain function with no stop function beside it',
    language: 'javascript',
    text: ['function tick() {', '  render();', '  setTimeout(tick, 1000);', '}'],
    expect: [],
  },
  {
    name: 'python: atexit gets a weak method, not the bound one',
    language: 'python',
    text: [
      'import atexit',
      'import weakref',
      'from base import Connection',
      '',
      'class SshConnection(Connection):',
      '    def __init__(self, host):',
      '        weak_close = weakref.WeakMethod(self.close)',
      '        atexit.register(weak_close)',
    ],
    expect: [],
  },
  {
    name: 'python: atexit gets a data attribute (a function stored on the instance), not a method',
    language: 'python',
    text: [
      'import atexit',
      'from base import Connection',
      '',
      'class Job(Connection):',
      '    def __init__(self, on_exit):',
      '        self.on_exit = on_exit',
      '        atexit.register(self.on_exit)',
    ],
    expect: [],
  },
  {
    name: 'python: loggers set up once per process, or only when the logger has no handlers yet',
    language: 'python',
    text: [
      'import logging',
      '',
      'def configure_logging(path):',
      '    logger = logging.getLogger("app")',
      '    handler = logging.StreamHandler()',
      '    logger.addHandler(handler)',
      '',
      'class Helper:',
      '    def __init__(self, name):',
      '        logger = logging.getLogger(name)',
      '        if not logger.handlers:',
      '            handler = logging.StreamHandler()',
      '            logger.addHandler(handler)',
    ],
    expect: [],
  },
  {
    name: 'python: a handler added to a logger object the caller passed in',
    language: 'python',
    text: ['import logging', '', 'class Helper:', '    def __init__(self, logger):', '        handler = logging.StreamHandler()', '        logger.addHandler(handler)'],
    expect: [],
  },
  {
    name: 'python: study.optimize with an objective from another module and gc_after_trial=True',
    language: 'python',
    text: [
      'import optuna',
      'from objectives import XgboostObjective',
      '',
      'def tune(X, y, budget):',
      '    study = optuna.create_study()',
      '    study.optimize(XgboostObjective(X, y), n_trials=50, timeout=budget, gc_after_trial=True)',
      '    return study.best_params',
    ],
    expect: [],
  },
  {
    name: 'python: per-session state of a plain (not started) object, and of a service that pops it on close',
    language: 'python',
    text: [
      'class Parser:',
      '    def __init__(self):',
      '        self.sessions = {}',
      '',
      '    def handle(self, event):',
      '        self.sessions[event["session"]] = event',
      '',
      'class Output:',
      '    def start(self):',
      '        self.sessions = {}',
      '',
      '    def write(self, event):',
      '        self.sessions[event["session"]] = event',
      '        if event["id"] == "closed":',
      '            self.sessions.pop(event["session"], None)',
    ],
    expect: [],
  },
  {
    name: 'python: self-registration into a weak dictionary, and one undone by an explicit close()',
    language: 'python',
    text: [
      'import weakref',
      '',
      'class Client:',
      '    Register = weakref.WeakValueDictionary()',
      '',
      '    def __init__(self, url):',
      '        self.Register[id(self)] = self',
      '',
      'class Other:',
      '    Register = {}',
      '',
      '    def __init__(self, url):',
      '        self.Register[id(self)] = self',
      '',
      '    def close(self):',
      '        del self.Register[id(self)]',
    ],
    expect: [],
  },
];

const found = (lines: readonly string[], language: Language) =>
  sharedEngine().then((engine) => engine.scan(lines.join('\n'), language).map((f) => `${f.range.startLine + 1}:${f.rule}`));

for (const leak of LEAKS) {
  test(`leak: ${leak.name}`, async () => {
    const engine = await sharedEngine();
    const text = leak.text.join('\n');
    assert.deepEqual(await found(leak.text, leak.language), leak.expect);
    for (const finding of engine.scan(text, leak.language)) {
      for (const fix of finding.fixes) assert.deepEqual(fixProblems(engine, text, leak.language, finding, fix), [], fix.title);
      const preferred = finding.fixes.find((fix) => fix.isPreferred);
      if (leak.fixed) assert.ok(preferred && applyEdits(text, preferred.edits).includes(leak.fixed), `fix should contain ${leak.fixed}`);
    }
  });
}

for (const lookalike of LOOKALIKES) {
  test(`look-alike: ${lookalike.name}`, async () => {
    assert.deepEqual(await found(lookalike.text, lookalike.language), lookalike.expect);
  });
}
