// The broad hint tier (issue 13): containers nothing in the file removes from, registrations never
// undone, repeating timers never cleared, reported with severity `hint` when the scan asks for
// hints, and look-alikes that stay silent. Leaks here are written so the strict rules do not
// report them (plain names, no per-request gate), so each test fails without the tier.
import test from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits, Language } from '../../../src/core/rules';
import { sharedEngine } from './support';

/** `line:rule` of the hints (1-based lines); strict findings are left out. */
async function hints(lines: readonly string[], language: Language): Promise<string[]> {
  const engine = await sharedEngine();
  return engine.scan(lines.join('\n'), language, { hints: true }).filter((f) => f.severity === 'hint').map((f) => `${f.range.startLine + 1}:${f.rule}`);
}

/** Each hint's fixes, applied alone, leave a file that parses. */
async function fixesParse(lines: readonly string[], language: Language): Promise<number> {
  const engine = await sharedEngine();
  const text = lines.join('\n');
  let fixes = 0;
  for (const finding of engine.scan(text, language, { hints: true }).filter((f) => f.severity === 'hint')) {
    for (const fix of finding.fixes) {
      fixes++;
      assert.ok(engine.parsesCleanly(applyEdits(text, fix.edits), language), `${finding.rule} fix "${fix.title}" does not parse`);
    }
  }
  return fixes;
}

// ---- containers ----

const PY_CONTAINERS = [
  'import collections',
  '',
  'ROWS = []',
  'TOTALS = collections.Counter()',
  'LOOKUP = {}',
  '',
  'def add_row(row):',
  '    ROWS.append(row)',
  '',
  'def count(word):',
  '    TOTALS[word] += 1',
  '',
  'def resolve(name):',
  '    if name in LOOKUP:',
  '        return LOOKUP[name]',
  '    LOOKUP[name] = compute(name)',
  '    return LOOKUP[name]',
  '',
  'class Tracker:',
  '    known = set()',
  '',
  '    def __init__(self):',
  '        self.items = []',
  '',
  '    def see(self, item):',
  '        self.items.append(item)',
  '        Tracker.known.add(item)',
];

test('hints: Python containers grown in a function and never removed from are hinted, the memo shape as unbounded-cache', async () => {
  assert.deepEqual(await hints(PY_CONTAINERS, 'python'), ['8:unbounded-collection', '11:unbounded-collection', '16:unbounded-cache', '26:unbounded-collection', '27:unbounded-collection']);
  assert.ok((await fixesParse(PY_CONTAINERS, 'python')) > 0);
});

test('hints: the tier is off unless the scan asks for it', async () => {
  const engine = await sharedEngine();
  assert.deepEqual(engine.scan(PY_CONTAINERS.join('\n'), 'python').filter((f) => f.severity === 'hint'), []);
});

test('hints: Python look-alikes stay silent (a removal elsewhere, a maxlen deque, a store at module top level, a rebinding, a hand-off)', async () => {
  const text = [
    'import collections',
    '',
    'ROWS = []',
    'RECENT = collections.deque(maxlen=100)',
    'TABLE = {}',
    'BATCH = []',
    'PENDING = []',
    'TABLE["fixed"] = 1',
    'for name in ("a", "b"):',
    '    TABLE[name] = 2',
    '',
    'def add_row(row):',
    '    ROWS.append(row)',
    '    RECENT.append(row)',
    '    BATCH.append(row)',
    '    PENDING.append(row)',
    '',
    'def set_fixed(value):',
    '    TABLE["fixed"] = value',
    '',
    'def shutdown():',
    '    ROWS.clear()',
    '',
    'def flush():',
    '    global BATCH',
    '    BATCH = []',
    '',
    'def drain():',
    '    send_all(PENDING)',
    '',
    'class Holder:',
    '    def __init__(self):',
    '        self.items = []',
    '        self.items.append(1)',
    '',
    'SMALL = set()',
    '',
    'def note(kind):',
    '    if len(SMALL) < 100:',
    '        SMALL.add(kind)',
  ];
  assert.deepEqual(await hints(text, 'python'), []);
});

const JS_CONTAINERS = [
  'const rows = [];',
  'export const byId = {};',
  'const lookup = new Map();',
  'const users = new Set();',
  '',
  'export function addRow(row) {',
  '  rows.push(row);',
  '}',
  '',
  'export function index(item) {',
  '  byId[item.id] = item;',
  '}',
  '',
  'export function resolve(name) {',
  '  if (lookup.has(name)) return lookup.get(name);',
  '  lookup.set(name, compute(name));',
  '  return lookup.get(name);',
  '}',
  '',
  'export class Room {',
  '  static everyone = [];',
  '  constructor() {',
  '    this.members = [];',
  '  }',
  '  join(user) {',
  '    this.members.push(user);',
  '    Room.everyone.push(user);',
  '    users.add(user);',
  '  }',
  '}',
];

test('hints: JS containers grown in a function and never removed from are hinted', async () => {
  // Line 16's memo is flagged by the strict tier already (a hint there would say it twice).
  assert.deepEqual(await hints(JS_CONTAINERS, 'javascript'), ['7:unbounded-collection', '11:unbounded-collection', '26:unbounded-collection', '27:unbounded-collection', '28:unbounded-collection']);
  assert.ok((await fixesParse(JS_CONTAINERS, 'javascript')) > 0);
});

test('hints: JS look-alikes stay silent (a removal elsewhere, a weak map, a store at module top level, a reset, a hand-off)', async () => {
  const text = [
    'const rows = [];',
    'const owners = new WeakMap();',
    'const table = {};',
    'let batch = [];',
    'const pending = [];',
    'const tags = new Set();',
    "table['a'] = 1;",
    'for (const k of keys) table[k] = 2;',
    '',
    'export function add(row, owner) {',
    '  rows.push(row);',
    '  owners.set(row, owner);',
    '  batch.push(row);',
    '  pending.push(row);',
    '  tags.add(row.tag);',
    '}',
    'export function trim() { rows.splice(0, 10); }',
    'export function flush() { batch = []; }',
    'export function drain() { sendAll(pending); }',
    'export function untag(tag) { tags.delete(tag); }',
    'class Holder {',
    '  constructor() {',
    '    this.items = [];',
    '    this.items.push(1);',
    '  }',
    '}',
  ];
  assert.deepEqual(await hints(text, 'javascript'), []);
});

test('hints: a private field (#queue) that the class takes entries out of is not hinted', async () => {
  const js = [
    'export class Retrier {',
    '  #retrying = [];',
    '  add(task) {',
    '    this.#retrying.push(task);',
    '  }',
    '  next() {',
    '    return this.#retrying.shift();',
    '  }',
    '}',
  ];
  assert.deepEqual(await hints(js, 'javascript'), []);
});

test('hints: a mapping stored into only under keys from a finite domain (flags, classes, the names of code) is not hinted; under a free key it is', async () => {
  const python = [
    '_PLATFORMS = {}',
    '_BY_TYPE = {}',
    '_BY_NAME = {}',
    '',
    'def _platform(aliased=False, terse=False):',
    '    _PLATFORMS[(aliased, terse)] = describe(aliased, terse)',
    '',
    'def remember(obj):',
    '    _BY_TYPE[type(obj).__name__] = obj',
    '    _BY_NAME[obj.__class__] = obj',
    '',
    'def keep(key, obj):',
    '    _BY_NAME[key] = obj',
  ];
  assert.deepEqual(await hints(python, 'python'), ['13:unbounded-collection']);
});

test('hints: an instance container grown only by a private method its initialiser calls is not hinted; by a method others may call it is', async () => {
  const python = [
    'class Table:',
    '    def __init__(self, path):',
    '        self.rows = []',
    '        self.extra = []',
    '        self._load(path)',
    '',
    '    def _load(self, path):',
    '        for line in open(path):',
    '            self.rows.append(line)',
    '            self.extra.append(line)',
    '',
    '    def load_more(self, path):',
    '        for line in open(path):',
    '            self.extra.append(line)',
  ];
  assert.deepEqual(await hints(python, 'python'), ['14:unbounded-collection']);
});

// ---- registrations ----

test('hints: registrations on an object the function did not make, never undone in the file, are hinted (both languages)', async () => {
  const python = [
    'class Panel:',
    '    def __init__(self, signal):',
    '        self.signal = signal',
    '',
    '    def show(self, name):',
    '        self.signal.connect(self.refresh)',
    '        print(name)',
    '',
    '    def refresh(self):',
    '        pass',
  ];
  assert.deepEqual(await hints(python, 'python'), ['6:handler-not-cleared']);
  assert.ok((await fixesParse(python, 'python')) > 0);
  const js = [
    'export function attach(store, view) {',
    '  store.subscribe(() => view.render(store.state));',
    '}',
    'export class Widget {',
    '  mount(bus) {',
    "    bus.addListener('change', this.onChange);",
    '  }',
    '}',
  ];
  assert.deepEqual(await hints(js, 'javascript'), ['2:handler-not-cleared', '6:handler-not-cleared']);
});

test('hints: registrations stay silent when the disposer is kept, the target is undone elsewhere, made in the function, or once-style', async () => {
  const python = [
    'class Panel:',
    '    def show(self, signal, other):',
    '        handle = signal.connect(self.refresh)',
    '        self.handles.append(other.connect(self.refresh))',
    '        bus = Bus()',
    '        bus.connect(self.refresh)',
    '',
    '    def watch(self, model):',
    '        model.add_listener(self.refresh)',
    '',
    '    def unwatch(self, model):',
    '        model.remove_listener(self.refresh)',
  ];
  assert.deepEqual(await hints(python, 'python'), []);
  const js = [
    'export function attach(store, view, emitter, target) {',
    '  const off = store.subscribe(() => view.render());',
    '  const local = new EventEmitter();',
    "  local.on('x', () => view.render());",
    "  target.addEventListener('click', () => view.render(), { once: true });",
    "  emitter.on('data', view.onData);",
    '  return off;',
    '}',
    "export function detach(emitter, view) { emitter.off('data', view.onData); }",
    'export function listen(request, onAbort) {',
    "  request.signal.addEventListener('abort', onAbort);",
    "  return () => request.signal?.removeEventListener('abort', onAbort);",
    '}',
  ];
  assert.deepEqual(await hints(js, 'javascript'), []);
});

test('hints: registrations on the object itself go with it and stay silent; on a target it did not make they are hinted (both languages)', async () => {
  const python = [
    'class Parser(Base):',
    '    def add_types(self):',
    "        self.register('type', 'int', int)",
    '',
    '    def follow(self, other):',
    "        other.register('type', 'int', int)",
  ];
  assert.deepEqual(await hints(python, 'python'), ['6:handler-not-cleared']);
  const js = [
    'export class Picker extends HTMLElement {',
    '  enable() {',
    "    this.addEventListener('keydown', this.onKey);",
    '  }',
    '  mount(list) {',
    "    list.addEventListener('keydown', this.onKey);",
    '  }',
    '}',
  ];
  assert.deepEqual(await hints(js, 'javascript'), ['6:handler-not-cleared']);
});

test('hints: a constructor wiring the object to what it is handed stays silent; a global or a later method is still hinted (both languages)', async () => {
  const js = [
    'export class Summary {',
    '  constructor(feed, options) {',
    "    feed.addListener('item', this.onItem);",
    '    options.bus.subscribe(this.onItem);',
    '    sharedBus.subscribe(this.onItem);',
    '  }',
    '  mount(feed) {',
    "    feed.addListener('item', this.onItem);",
    '  }',
    '}',
    'export function Tally(feed) {',
    '  feed.subscribe(this.done);',
    '}',
  ];
  assert.deepEqual(await hints(js, 'javascript'), ['5:handler-not-cleared', '8:handler-not-cleared']);
  const python = [
    'class Recorder:',
    '    def __init__(self, bus):',
    '        bus.add_listener(self.record)',
    '        atexit.register(self.flush)',
    '',
    '    def attach(self, bus):',
    '        bus.add_listener(self.record)',
  ];
  assert.deepEqual(await hints(python, 'python'), ['4:handler-not-cleared', '7:handler-not-cleared']);
});

test('hints: a constructor registration is still hinted when the class declares a teardown: its instances end while the target lives on (both languages)', async () => {
  const js = [
    'export class Banner {',
    '  constructor(store) {',
    '    store.select(pickTheme).subscribe((theme) => { this.theme = theme; });',
    '  }',
    '  ngOnDestroy() {',
    '    this.closed = true;',
    '  }',
    '}',
    'export function Ticker(feed) {',
    '  feed.subscribe(this.tick);',
    '}',
    'Ticker.prototype.destroy = function () { this.stopped = true; };',
  ];
  assert.deepEqual(await hints(js, 'javascript'), ['3:handler-not-cleared', '10:handler-not-cleared']);
  const python = [
    'class Session:',
    '    def __init__(self, bus):',
    '        bus.add_listener(self.record)',
    '',
    '    def close(self):',
    '        self.closed = True',
  ];
  assert.deepEqual(await hints(python, 'python'), ['3:handler-not-cleared']);
});

test('hints: a "registration" given no callable (an address, a name, a number) registers nothing, and one on what a with block enters goes with it: both stay silent', async () => {
  const python = [
    'def open_link(link, host, port, handler):',
    '    link.connect((host, port))',
    "    link.register('name', 3)",
    "    link.register('name', handler)",
    '    link.connect(host)',
    '    with Poller() as poller:',
    '        poller.register(link, handler)',
  ];
  assert.deepEqual(await hints(python, 'python'), ['4:handler-not-cleared', '5:handler-not-cleared']);
  const js = [
    'export function open(client, port, onData) {',
    "  client.connect('localhost:' + port);",
    "  client.watch({ path: '/tmp', depth: 2 });",
    '  client.watch({ path: "/tmp", onData });',
    '}',
  ];
  assert.deepEqual(await hints(js, 'javascript'), ['4:handler-not-cleared']);
});

// ---- timers ----

test('hints: repeating timers never cleared in the file are hinted (both languages)', async () => {
  const js = [
    "server.on('listening', () => {",
    '  setInterval(() => client.poll(), 1000);',
    '});',
    'function refresh(client) {',
    '  client.fetch().then(() => {',
    '    if (client.active) setTimeout(() => refresh(client), 500);',
    '  });',
    '}',
  ];
  assert.deepEqual(await hints(js, 'javascript'), ['2:timer-not-cleared', '6:timer-not-cleared']);
  const python = [
    'import asyncio',
    '',
    'class Heartbeat:',
    '    def beat(self):',
    '        if self.alive:',
    '            self.loop.call_later(5, self.beat)',
  ];
  assert.deepEqual(await hints(python, 'python'), ['6:timer-not-cleared']);
});

test('hints: timers stay silent when the file clears or cancels them, or when they do not repeat', async () => {
  const js = [
    'let handle;',
    'export function startPolling(client) {',
    '  handle = setInterval(() => client.poll(), 1000);',
    '}',
    'export function stop() { clearInterval(handle); }',
    'export function later(client) { setTimeout(() => client.poll(), 500); }',
  ];
  assert.deepEqual(await hints(js, 'javascript'), []);
  const python = [
    'import threading',
    '',
    'class Heartbeat:',
    '    def beat(self):',
    '        if self.alive:',
    '            self.timer = threading.Timer(5, self.beat)',
    '            self.timer.start()',
    '',
    '    def stop(self):',
    '        self.timer.cancel()',
    '',
    '    def once(self):',
    '        self.loop.call_later(5, self.other)',
  ];
  assert.deepEqual(await hints(python, 'python'), []);
});

test('hints: none where the strict rule of that id already reports the line, and none for a disabled rule', async () => {
  const engine = await sharedEngine();
  const text = ['history = []', '', 'def record(item):', '    history.append(item)', '', 'rows = []', '', 'def add(row):', '    rows.append(row)'].join('\n');
  const findings = engine.scan(text, 'python', { hints: true }).map((f) => `${f.range.startLine + 1}:${f.rule}:${f.broad ? 'hint' : 'strict'}`);
  assert.deepEqual(findings, ['4:unbounded-collection:strict', '9:unbounded-collection:hint']);
  assert.deepEqual(engine.scan(text, 'python', { hints: true, disabledRules: ['unbounded-collection'] }), []);
});

// ---- a line the strict rules already flag ----

test('no hint stands on a line a strict rule flags, whatever its rule', async () => {
  // A memo: the strict tier reports its store; the container hint, which names a mapping an
  // unbounded cache, would report the same store again under another rule.
  const source = [
    'const lookup = new Map();',
    'export function resolve(name) {',
    '  if (lookup.has(name)) return lookup.get(name);',
    '  lookup.set(name, compute(name));',
    '  return lookup.get(name);',
    '}',
  ];
  const engine = await sharedEngine();
  const findings = engine.scan(source.join('\n'), 'javascript', { hints: true }).filter((f) => f.range.startLine === 3);
  assert.equal(findings.length, 1, JSON.stringify(findings.map((f) => f.rule)));
  assert.ok(!findings[0]!.broad);
});
