// Registries of pending work (issue 13): an entry per call under a key made for that call (a
// counter, a uuid, a timeout handle), used up where the work completes (a reply handler, a
// message handler) without being removed there, so a delete on a cancel path does not bound it.
// Written from the capability's statement in several styles (closure factory, module wrapper,
// patched global, class; Python class and module functions); look-alikes remove the entry where
// it is used, in a finally, are keyed by what users pass, or are weak.
import { RuleCase as Case, testRuleCases } from './support';

/** A factory whose reply handler calls the resolver it looks up; only cancel deletes. */
const JS_FACTORY = [
  'export function createClient(transport: { send(m: unknown): void; onMessage(cb: (m: { id: number; result: unknown }) => void): void }) {',
  '  let nextId = 0;',
  '  const pending = new Map<number, (value: unknown) => void>();',
  '  transport.onMessage((message) => {',
  '    const resolve = pending.get(message.id);',
  '    resolve?.(message.result);',
  '  });',
  '  function call(method: string, params: unknown): Promise<unknown> {',
  '    return new Promise((resolve) => {',
  '      const id = ++nextId;',
  '      pending.set(id, resolve);',
  '      transport.send({ id, method, params });',
  '    });',
  '  }',
  '  function cancel(id: number) {',
  '    pending.delete(id);',
  '  }',
  '  return { call, cancel };',
  '}',
];

/** A module wrapper whose message handler runs the job it looks up; only unschedule deletes. */
const JS_MODULE_WRAPPER = [
  'var scheduler = (function () {',
  '  var jobs = {};',
  '  var counter = 0;',
  '  self.addEventListener(\'message\', function (event) {',
  '    var job = jobs[event.data.id];',
  '    if (job) job.fn.apply(null, job.args);',
  '  });',
  '  return {',
  '    schedule: function (fn, delay) {',
  '      counter += 1;',
  '      var args = Array.prototype.slice.call(arguments, 2);',
  '      jobs[counter] = { fn: fn, args: args };',
  '      postMessage({ id: counter, delay: delay });',
  '      return counter;',
  '    },',
  '    unschedule: function (id) {',
  '      delete jobs[id];',
  '    },',
  '  };',
  '})();',
];

/** A patched setTimeout recording each timeout by its handle; only the patched clearTimeout deletes. */
const JS_PATCHED_TIMEOUT = [
  'function patchTimers(target) {',
  '  const callbacks = new Map();',
  '  const nativeSetTimeout = target.setTimeout;',
  '  target.setTimeout = function (handler, ms, ...args) {',
  '    const handle = nativeSetTimeout(() => handler(...args), ms);',
  '    callbacks.set(handle, { handler, args });',
  '    return handle;',
  '  };',
  '  target.clearTimeout = function (handle) {',
  '    callbacks.delete(handle);',
  '  };',
  '}',
  'module.exports = { patchTimers };',
];

/** A class whose reply handler settles the entry it looks up; only forget deletes. */
const JS_CLASS = [
  'import { randomUUID } from \'crypto\';',
  'export class Bridge {',
  '  private waiting: Record<string, { resolve: (v: unknown) => void; reject: (e: Error) => void }> = {};',
  '  constructor(private port: { postMessage(m: unknown): void; on(e: string, cb: (m: any) => void): void }) {',
  '    port.on(\'message\', (m) => this.onReply(m));',
  '  }',
  '  request(body: unknown): Promise<unknown> {',
  '    const key = randomUUID();',
  '    return new Promise((resolve, reject) => {',
  '      this.waiting[key] = { resolve, reject };',
  '      this.port.postMessage({ key, body });',
  '    });',
  '  }',
  '  private onReply(m: { key: string; ok: boolean; value: unknown }) {',
  '    const entry = this.waiting[m.key];',
  '    if (!entry) return;',
  '    if (m.ok) entry.resolve(m.value); else entry.reject(new Error(\'failed\'));',
  '  }',
  '  forget(key: string) { delete this.waiting[key]; }',
  '}',
];

/** A client whose read loop resolves the future it looks up; only cancel pops. */
const PY_CLIENT = [
  'import asyncio',
  'import itertools',
  '',
  '',
  'class RpcClient:',
  '    def __init__(self, reader, writer):',
  '        self._reader = reader',
  '        self._writer = writer',
  '        self._pending = {}',
  '        self._ids = itertools.count()',
  '',
  '    async def call(self, method, params):',
  '        request_id = next(self._ids)',
  '        future = asyncio.get_running_loop().create_future()',
  '        self._pending[request_id] = future',
  '        self._writer.write(encode(request_id, method, params))',
  '        return await future',
  '',
  '    async def read_loop(self):',
  '        while True:',
  '            message = await self._reader.read()',
  '            future = self._pending.get(message["id"])',
  '            if future is not None:',
  '                future.set_result(message["result"])',
  '',
  '    def cancel(self, request_id):',
  '        self._pending.pop(request_id, None)',
];

/** Module-level callbacks run on completion; only unschedule deletes. */
const PY_CALLBACKS = [
  'import uuid',
  '',
  '_callbacks = {}',
  '',
  '',
  'def schedule(callback, *args):',
  '    token = uuid.uuid4().hex',
  '    _callbacks[token] = (callback, args)',
  '    send_to_worker(token)',
  '    return token',
  '',
  '',
  'def on_worker_done(token):',
  '    callback, args = _callbacks[token]',
  '    callback(*args)',
  '',
  '',
  'def unschedule(token):',
  '    del _callbacks[token]',
];

/** Events set by the worker callback; nothing pops them. */
const PY_WAITERS = [
  'import threading',
  '',
  '_lock = threading.Lock()',
  '_next = 0',
  '_waiters = {}',
  '',
  '',
  'def submit(job):',
  '    global _next',
  '    with _lock:',
  '        _next += 1',
  '        ticket = _next',
  '    event = threading.Event()',
  '    _waiters[ticket] = event',
  '    QUEUE.put((ticket, job))',
  '    return ticket, event',
  '',
  '',
  'def worker_finished(ticket):',
  '    _waiters[ticket].set()',
];

/** The snippet with `added` as a new line after the first line that contains `marker`. */
function insertAfter(text: readonly string[], marker: string, added: string): string[] {
  const at = text.findIndex((line) => line.includes(marker));
  return [...text.slice(0, at + 1), added, ...text.slice(at + 1)];
}

/** The snippet with the first line that contains `marker` replaced. */
function replaceLine(text: readonly string[], marker: string, replacement: string): string[] {
  return text.map((line, i) => (i === text.findIndex((l) => l.includes(marker)) ? replacement : line));
}

const LEAKS: Case[] = [
  {
    name: 'js: a factory keeps resolvers under ++id, its reply handler calls them without deleting; only cancel deletes',
    language: 'typescript',
    text: JS_FACTORY,
    expect: ['11:unbounded-collection'],
    fixed: 'pending.delete(message.id);',
  },
  {
    name: 'js: a module wrapper schedules jobs under a counter it steps; the message handler runs them and keeps them',
    language: 'javascript',
    text: JS_MODULE_WRAPPER,
    expect: ['12:unbounded-collection'],
    fixed: 'delete jobs[event.data.id];',
  },
  {
    name: 'js: a patched setTimeout records each timeout by its handle; only the patched clearTimeout deletes',
    language: 'javascript',
    text: JS_PATCHED_TIMEOUT,
    expect: ['6:unbounded-collection'],
  },
  {
    name: 'js: a class keeps promise settlers under a uuid; the reply handler settles them, only forget() deletes',
    language: 'typescript',
    text: JS_CLASS,
    expect: ['10:unbounded-collection'],
    fixed: 'delete this.waiting[m.key];',
  },
  {
    name: 'python: futures under next(counter), resolved by the read loop without pop; only cancel pops',
    language: 'python',
    text: PY_CLIENT,
    expect: ['15:unbounded-collection'],
    fixed: 'self._pending.pop(message["id"], None)',
  },
  {
    name: 'python: module-level callbacks under a uuid, run on completion and kept; only unschedule deletes',
    language: 'python',
    text: PY_CALLBACKS,
    expect: ['8:unbounded-collection'],
    fixed: '_callbacks.pop(token, None)',
  },
  {
    name: 'python: events under a ticket from a stepped counter, set by the worker callback and kept',
    language: 'python',
    text: PY_WAITERS,
    expect: ['14:unbounded-collection'],
    fixed: '_waiters.pop(ticket, None)',
  },
  {
    name: 'js: a worker-backed timer shim: the timeout registry keeps fired callbacks (the interval one is reported nowhere: its work never ends)',
    language: 'javascript',
    text: [
      'var timers = (function () {',
      '  var table = {}, last = 0;',
      '  function nextId() { last += 1; return last; }',
      '  globalThis.setInterval = function (fn, ms) { var id = nextId(); table[id] = fn; port.postMessage({ id: id, ms: ms, every: true }); return id; };',
      '  globalThis.setTimeout = function (fn, ms) { var id = nextId(); table[id] = fn; port.postMessage({ id: id, ms: ms }); return id; };',
      '  globalThis.clearTimeout = globalThis.clearInterval = function (id) { delete table[id]; };',
      '  port.onmessage = function (event) { var fn = table[event.data.id]; if (fn) fn(); };',
      '})();',
    ],
    expect: ['5:unbounded-collection'],
  },
];

const LOOKALIKES: Case[] = [
  {
    name: 'js: the reply handler deletes the resolver it calls',
    language: 'typescript',
    text: insertAfter(JS_FACTORY, 'const resolve = pending.get(message.id);', '    pending.delete(message.id);'),
    expect: [],
  },
  {
    name: 'js: the message handler deletes the job it runs',
    language: 'javascript',
    text: insertAfter(JS_MODULE_WRAPPER, 'var job = jobs[event.data.id];', '    delete jobs[event.data.id];'),
    expect: [],
  },
  {
    name: 'js: the timeout callback deletes its own record',
    language: 'javascript',
    text: replaceLine(JS_PATCHED_TIMEOUT, 'const handle = nativeSetTimeout', '    const handle = nativeSetTimeout(() => { callbacks.delete(handle); handler(...args); }, ms);'),
    expect: [],
  },
  {
    name: 'js: the reply handler deletes the settlers it uses',
    language: 'typescript',
    text: insertAfter(JS_CLASS, 'const entry = this.waiting[m.key];', '    delete this.waiting[m.key];'),
    expect: [],
  },
  {
    name: 'js: a factory table keyed by what its users pass (levels), no fresh id',
    language: 'javascript',
    text: [
      'function createRegistry() {',
      '  const byLevel = {};',
      '  return {',
      '    log(level, line) { byLevel[level] = line; },',
      '    last(level) { return byLevel[level]; },',
      '  };',
      '}',
      'module.exports = { createRegistry };',
    ],
    expect: [],
  },
  {
    name: 'js: a WeakMap keyed by objects',
    language: 'javascript',
    text: [
      'function tracker() {',
      '  const meta = new WeakMap();',
      '  return { tag(obj, info) { meta.set(obj, info); }, read(obj) { return meta.get(obj); } };',
      '}',
      'module.exports = { tracker };',
    ],
    expect: [],
  },
  {
    name: 'js: the storing call deletes its entry in finally',
    language: 'typescript',
    text: [
      'export function createClient(send: (m: unknown) => Promise<unknown>) {',
      '  let nextId = 0;',
      '  const inflight = new Map<number, string>();',
      '  return {',
      '    async call(method: string) {',
      '      const id = ++nextId;',
      '      inflight.set(id, method);',
      '      try { return await send({ id, method }); } finally { inflight.delete(id); }',
      '    },',
      '  };',
      '}',
    ],
    expect: [],
  },
  {
    name: 'python: the read loop pops the future it resolves',
    language: 'python',
    text: replaceLine(PY_CLIENT, 'future = self._pending.get', '            future = self._pending.pop(message["id"], None)'),
    expect: [],
  },
  {
    name: 'python: the completion pops the callback it runs',
    language: 'python',
    text: replaceLine(PY_CALLBACKS, 'callback, args = _callbacks[token]', '    callback, args = _callbacks.pop(token)'),
    expect: [],
  },
  {
    name: 'python: the worker callback pops the event it sets',
    language: 'python',
    text: replaceLine(PY_WAITERS, '_waiters[ticket].set()', '    _waiters.pop(ticket).set()'),
    expect: [],
  },
  {
    name: 'python: the storing call deletes its entry in finally, the reply handler only resolves',
    language: 'python',
    text: [
      'import asyncio',
      'import itertools',
      '',
      '',
      'class RpcClient:',
      '    def __init__(self, writer):',
      '        self._writer = writer',
      '        self._pending = {}',
      '        self._ids = itertools.count()',
      '',
      '    async def call(self, method):',
      '        request_id = next(self._ids)',
      '        future = asyncio.get_running_loop().create_future()',
      '        self._pending[request_id] = future',
      '        try:',
      '            self._writer.write(encode(request_id, method))',
      '            return await future',
      '        finally:',
      '            del self._pending[request_id]',
      '',
      '    def on_reply(self, message):',
      '        self._pending[message["id"]].set_result(message["result"])',
    ],
    expect: [],
  },
  {
    name: 'js: a shim of intervals only: an entry lives until its interval is cleared',
    language: 'javascript',
    text: [
      'var timers = (function () {',
      '  var table = {}, last = 0;',
      '  globalThis.setInterval = function (fn, ms) { last += 1; table[last] = fn; port.postMessage({ id: last, ms: ms }); return last; };',
      '  globalThis.clearInterval = function (id) { delete table[id]; };',
      '  port.onmessage = function (event) { var fn = table[event.data.id]; if (fn) fn(); };',
      '})();',
    ],
    expect: [],
  },
  {
    name: 'js: the reply handler hands the id to a helper that deletes',
    language: 'javascript',
    text: [
      'function connect(socket) {',
      '  const waiting = new Map();',
      '  let seq = 0;',
      '  function settle(id) { waiting.delete(id); }',
      "  socket.on('reply', (reply) => { const done = waiting.get(reply.id); settle(reply.id); done(reply.body); });",
      '  return { ask(body) { return new Promise((resolve) => { seq++; waiting.set(seq, resolve); socket.send({ id: seq, body }); }); } };',
      '}',
    ],
    expect: [],
  },
];

testRuleCases(LEAKS, LOOKALIKES);
