// Entries settled without removal (issue 13, session 31): a table of pending requests (promises,
// futures, jobs) whose entry is removed where it is settled one way, and settled another way (an
// error reply that returns early, the other branch of an `if`, a timeout callback the storing call
// arms) where nothing removes it. Each leak fires at the store and its fix (the removal before each
// bare settle) re-parses and silences it; each look-alike (a `finally`, both branches, a timeout
// that removes, a sweep, a shared `done()` that removes, a weak table, a caller that removes after
// the error is rethrown) stays quiet. And a wait between the store and its own removal that can
// fail (a rejected promise, a raised or cancelled await) leaves past the removal: the fix moves the
// removal to a `finally`.
import { RuleCase, testRuleCases } from './support';

type Case = RuleCase;

/** A JS RPC client whose pending calls wait in a Map; `expire` is the timeout callback's body. */
function rpcClient(expire: readonly string[], more: readonly string[] = []): string[] {
  return [
    'class RpcClient {',
    '  constructor(socket) {',
    '    this.socket = socket;',
    '    this.pending = new Map();',
    '    this.nextId = 0;',
    '  }',
    '  call(method, params) {',
    '    const id = ++this.nextId;',
    '    return new Promise((resolve, reject) => {',
    '      this.pending.set(id, { resolve, reject });',
    '      this.socket.send(JSON.stringify({ id, method, params }));',
    '      setTimeout(() => {',
    ...expire,
    '      }, 10000);',
    '    });',
    '  }',
    '  onMessage(data) {',
    '    const reply = JSON.parse(data);',
    '    const waiter = this.pending.get(reply.id);',
    '    if (!waiter) return;',
    '    this.pending.delete(reply.id);',
    '    waiter.resolve(reply.result);',
    '  }',
    ...more,
    '}',
  ];
}

/** A TS job table: `onResult` is the result handler's body. */
function jobTable(onResult: readonly string[]): string[] {
  return [
    "import { randomUUID } from 'node:crypto';",
    '',
    'const inflight: Map<string, Job> = new Map();',
    '',
    'export function submit(payload: Payload): string {',
    '  const jobId = randomUUID();',
    '  inflight.set(jobId, new Job(payload));',
    '  queue.push(jobId);',
    '  return jobId;',
    '}',
    '',
    'export function onResult(jobId: string, result: Result): void {',
    '  const job = inflight.get(jobId)!;',
    ...onResult,
    '}',
  ];
}

/** A Python broker whose questions wait in a dict of futures; `feed` is the reply handler's body, `made` the table. */
function channel(feed: readonly string[], made = '{}', more: readonly string[] = []): string[] {
  return [
    'import asyncio',
    '',
    'class QuestionBroker:',
    '    def __init__(self, writer):',
    '        self._writer = writer',
    `        self._waiting = ${made}`,
    '',
    '    async def ask(self, rid, question):',
    '        fut = asyncio.get_running_loop().create_future()',
    '        self._waiting[rid] = fut',
    '        self._writer.write(encode(rid, question))',
    '        return await fut',
    '',
    '    def feed(self, rid, raw):',
    ...feed,
    ...more,
  ];
}

const FEED_EXCEPT_RETURNS = [
  '        fut = self._waiting.get(rid)',
  '        if fut is None:',
  '            return',
  '        try:',
  '            answer = decode(raw)',
  '        except ValueError as exc:',
  '            fut.set_exception(exc)',
  '            return',
  '        del self._waiting[rid]',
  '        fut.set_result(answer)',
];

/** A TS upload queue that settles each ticket's deferred on an acknowledgement; `onAck` is the handler's body. */
function uploads(onAck: readonly string[]): string[] {
  return [
    'export class Uploads {',
    '  private readonly waiting = new Map<number, Deferred<void>>();',
    '  private seq = 0;',
    '',
    '  constructor(private readonly worker: Worker) {}',
    '',
    '  start(file: File): Promise<void> {',
    '    const ticket = this.seq++;',
    '    const deferred = new Deferred<void>();',
    '    this.waiting.set(ticket, deferred);',
    '    this.worker.postMessage({ ticket, file });',
    '    return deferred.promise;',
    '  }',
    '',
    '  onAck(ticket: number, ok: boolean): void {',
    '    const deferred = this.waiting.get(ticket);',
    ...onAck,
    '  }',
    '}',
  ];
}

/** A JS lock table released after the task; `run` is how the task is awaited. */
function lockTable(run: readonly string[], more: readonly string[] = []): string[] {
  return [
    'const held = new Map();',
    '',
    'export async function withLock(name, task) {',
    '  const release = await acquire(name);',
    '  held.set(name, release);',
    ...run,
    '  held.delete(name);',
    '  release();',
    '  return result;',
    '}',
    ...more,
  ];
}

/** A Python service that shares one fetch per URL while it runs; `more` are other methods. */
function fetchService(more: readonly string[] = []): string[] {
  return [
    'import asyncio',
    '',
    'class FetchService:',
    '    def __init__(self, session):',
    '        self._session = session',
    '        self._inflight = {}',
    '',
    '    async def fetch(self, url):',
    '        task = asyncio.ensure_future(self._session.get(url))',
    '        self._inflight[url] = task',
    '        response = await task',
    '        del self._inflight[url]',
    '        return response',
    ...more,
  ];
}

/** A JS prefetcher that keeps each URL's request while it loads; `settle` is how the request's end is handled. */
function prefetcher(settle: readonly string[]): string[] {
  return [
    'class Prefetcher {',
    '  constructor(client) {',
    '    this.client = client;',
    '    this.loading = new Map();',
    '  }',
    '  prefetch(url) {',
    '    const request = this.client.get(url);',
    '    this.loading.set(url, request);',
    ...settle,
    '    return request;',
    '  }',
    '}',
  ];
}

const LEAKS: Case[] = [
  {
    name: 'js: the loading entry is deleted in a `.then` callback alone, so a rejected request keeps it',
    language: 'javascript',
    text: prefetcher(['    request.then(() => this.loading.delete(url));']),
    expect: ['8:unbounded-collection'],
    fixed: '    request.then(() => this.loading.delete(url), (error) => {\n      this.loading.delete(url);\n      throw error;\n    });',
  },
  {
    name: 'ts: a session is dropped in the success callback of its handshake only',
    language: 'typescript',
    text: [
      'export class Handshakes {',
      '  private readonly open = new Map<string, Session>();',
      '',
      '  begin(peer: string, session: Session): Promise<void> {',
      '    this.open.set(peer, session);',
      '    return session.handshake().then(function () {',
      '      registry.forget(peer);',
      '    }).then(() => {',
      '      this.open.delete(peer);',
      '    });',
      '  }',
      '}',
    ],
    expect: ['5:unbounded-collection'],
  },
  {
    name: 'js: a lock is recorded, the task awaited, and the record deleted only when the task succeeds',
    language: 'javascript',
    text: lockTable(['  const result = await task();']),
    expect: ['5:unbounded-collection'],
    fixed: '  try {\n    const result = await task();\n    release();\n    return result;\n  } finally {\n    held.delete(name);\n  }',
  },
  {
    name: 'python: the in-flight fetch is removed after the await, which can raise or be cancelled first',
    language: 'python',
    text: fetchService(),
    expect: ['10:unbounded-collection'],
    fixed: '        try:\n            response = await task\n            return response\n        finally:\n            del self._inflight[url]',
  },
  {
    name: 'js: a pending RPC is deleted when its reply resolves it; the timeout rejects it and nothing deletes it',
    language: 'javascript',
    text: rpcClient(["        reject(new Error('timed out'));"]),
    expect: ['10:unbounded-collection'],
    fixed: "        this.pending.delete(id);\n        reject(new Error('timed out'));",
  },
  {
    name: 'ts: a failed result finishes the job and returns before the job is taken out of the table',
    language: 'typescript',
    text: jobTable(['  if (result.failed) {', '    job.finish(new Error(result.reason));', '    return;', '  }', '  inflight.delete(jobId);', '  job.finish(null, result.value);']),
    expect: ['7:unbounded-collection'],
    fixed: '    inflight.delete(jobId);\n    job.finish(new Error(result.reason));',
  },
  {
    name: 'ts: `if (ok)` deletes the ticket and resolves it; the refused branch rejects it and keeps it',
    language: 'typescript',
    text: uploads(['    if (ok) {', '      this.waiting.delete(ticket);', '      deferred?.resolve();', "    } else deferred?.reject(new Error('upload refused'));"]),
    expect: ['10:unbounded-collection'],
  },
  {
    name: 'python: an undecodable reply sets the future\'s exception in `except` and returns before `del`',
    language: 'python',
    text: channel(FEED_EXCEPT_RETURNS),
    expect: ['10:unbounded-collection'],
    fixed: '            self._waiting.pop(rid, None)\n            fut.set_exception(exc)',
  },
  {
    name: 'python: the reply pops the future and sets its result; a timer the call armed cancels it and leaves it in the dict',
    language: 'python',
    text: [
      'class Dispatcher:',
      '    def __init__(self, loop, transport):',
      '        self._loop = loop',
      '        self._transport = transport',
      '        self._calls = {}',
      '',
      '    def call(self, call_id, request):',
      '        future = self._loop.create_future()',
      '        self._calls[call_id] = future',
      '',
      '        def give_up():',
      '            future.cancel()',
      '',
      '        self._loop.call_later(30, give_up)',
      '        self._transport.send(call_id, request)',
      '        return future',
      '',
      '    def on_reply(self, call_id, value):',
      '        future = self._calls.pop(call_id, None)',
      '        if future is not None and not future.done():',
      '            future.set_result(value)',
    ],
    expect: ['9:unbounded-collection'],
    fixed: '            self._calls.pop(call_id, None)\n            future.cancel()',
  },
];

const LOOKALIKES: Case[] = [
  {
    name: 'js: the loading entry is deleted in a `.finally`, whichever way the request ends',
    language: 'javascript',
    text: prefetcher(['    request.finally(() => this.loading.delete(url));']),
    expect: [],
  },
  {
    name: 'js: `.then` is given a rejection handler that deletes too',
    language: 'javascript',
    text: prefetcher(['    request.then(() => this.loading.delete(url), () => this.loading.delete(url));']),
    expect: [],
  },
  {
    name: 'js: a `.catch` after the `.then` deletes on rejection',
    language: 'javascript',
    text: prefetcher(['    request.then(() => this.loading.delete(url)).catch(() => this.loading.delete(url));']),
    expect: [],
  },
  {
    name: 'js: the task is awaited in a try whose finally deletes the record',
    language: 'javascript',
    text: lockTable(['  let result;', '  try {', '    result = await task();', '  } finally {', '    held.delete(name);', '  }']),
    expect: [],
  },
  {
    name: 'js: the only wait between the record and its removal is a plain delay',
    language: 'javascript',
    text: lockTable(['  await delay(10);', '  const result = task();']),
    expect: [],
  },
  {
    name: 'python: the caller that shares fetches pops the entry when the fetch fails',
    language: 'python',
    text: fetchService(['', '    async def fetch_or_forget(self, url):', '        try:', '            return await self.fetch(url)', '        except Exception:', '            self._inflight.pop(url, None)', '            raise']),
    expect: [],
  },
  {
    name: 'js: the timeout deletes the pending call before rejecting it',
    language: 'javascript',
    text: rpcClient(['        this.pending.delete(id);', "        reject(new Error('timed out'));"]),
    expect: [],
  },
  {
    name: 'js: a sweep timer prunes the calls past their deadline',
    language: 'javascript',
    text: rpcClient(
      ["        reject(new Error('timed out'));"],
      ['  sweep(now) {', '    for (const [id, waiter] of this.pending) {', '      if (waiter.deadline < now) this.pending.delete(id);', '    }', '  }'],
    ),
    expect: [],
  },
  {
    name: 'ts: the job is taken out in a `finally` around both outcomes',
    language: 'typescript',
    text: jobTable(['  try {', '    if (result.failed) {', '      job.finish(new Error(result.reason));', '      return;', '    }', '    job.finish(null, result.value);', '  } finally {', '    inflight.delete(jobId);', '  }']),
    expect: [],
  },
  {
    name: 'ts: both branches delete the ticket before settling it',
    language: 'typescript',
    text: uploads(['    if (ok) {', '      this.waiting.delete(ticket);', '      deferred?.resolve();', '    } else {', '      this.waiting.delete(ticket);', "      deferred?.reject(new Error('upload refused'));", '    }']),
    expect: [],
  },
  {
    name: 'js: the entry\'s shared `done()` deletes it, whichever path calls it',
    language: 'javascript',
    text: [
      'const requests = new Map();',
      'let counter = 0;',
      '',
      'function collect() {',
      '  const requestId = counter++;',
      '  return new Promise((resolve, reject) => {',
      '    function done(err, result) {',
      '      requests.delete(requestId);',
      '      if (err) reject(err);',
      '      else resolve(result);',
      '    }',
      "    const request = { done, timer: setTimeout(() => request.done(new Error('timeout')), 5000) };",
      '    requests.set(requestId, request);',
      '    broadcast(requestId);',
      '  });',
      '}',
      '',
      'function onResponse(message) {',
      '  const request = requests.get(message.requestId);',
      '  if (message.error) {',
      '    request.done(new Error(message.error));',
      '    return;',
      '  }',
      '  request.done(null, message.value);',
      '}',
    ],
    expect: [],
  },
  {
    name: 'ts: the jobs wait in a WeakMap, which drops each one with its key',
    language: 'typescript',
    text: jobTable(['  if (result.failed) {', '    job.finish(new Error(result.reason));', '    return;', '  }', '  inflight.delete(jobId);', '  job.finish(null, result.value);']).map((line) => line.replace('Map<string, Job> = new Map()', 'WeakMap<Ticket, Job> = new WeakMap()')),
    expect: [],
  },
  {
    name: 'python: the futures wait in a WeakValueDictionary, which drops each one itself',
    language: 'python',
    text: channel(FEED_EXCEPT_RETURNS, 'weakref.WeakValueDictionary()'),
    expect: [],
  },
  {
    name: 'python: the error path rethrows into the reply handler, which pops the entry in a `finally`',
    language: 'python',
    text: channel(
      ['        try:', '            self._settle(rid, decode(raw))', '        except ValueError as exc:', '            self._fail(rid, exc)', '        finally:', '            self._waiting.pop(rid, None)'],
      '{}',
      [
        '',
        '    def _settle(self, rid, answer):',
        '        fut = self._waiting.pop(rid)',
        '        fut.set_result(answer)',
        '',
        '    def _fail(self, rid, exc):',
        '        fut = self._waiting.get(rid)',
        '        fut.set_exception(exc)',
        '        raise exc',
      ],
    ),
    expect: [],
  },
];

testRuleCases(LEAKS, LOOKALIKES);
