// Containers followed across a file (issue 13, session 30): from the declaration to the function
// that fills it to whether anything bounds it.
//
// A collection every instance shares (the module's, or the class's) grown in an initialiser grows
// once per instance made: `self.configs += [...]` on a class-level list extends the class's list
// (`+=` on a list is `extend`), it does not give the instance a list of its own.
//
// A defaultdict stores every key it is asked for: `bucket = self._hits[ip]` inserts `ip`. And a
// method of a class the file makes once at module level (`limiter = Limiter()`), called on that
// instance from a route or event handler, runs per request on an object that lives with the
// module: a key it takes from its arguments adds an entry per distinct value.
//
// In JS/TS the same holds for a class's constructor: a push into the module's array or a static
// field (`Widget.all.push(this)`) runs once per instance made.
//
// A container handed to a helper (`self._lookup(self._memo, args)` with `def _lookup(self, table,
// key): table[key] = …`) is stored into where the helper stores into its parameter, and is
// bounded by what the helper does to that parameter. A decorator class's instance (`__init__(self,
// func)` and `__call__`) lives as long as the function it wraps.
import { RuleCase as Case, testRuleCases } from './support';

const LEAKS: Case[] = [
  {
    name: "Python: an initialiser extends the class's shared list with `+=`",
    language: 'python',
    text: ['class Renderer:', '    flags = []', '', '    def __init__(self, width):', '        self.width = width', '        self.flags += ["--width", str(width)]'],
    expect: ['6:unbounded-collection'],
    fixed: 'flags = collections.deque(maxlen=10000)',
  },
  {
    name: "Python: an initialiser appends a literal to the class's list through the class name",
    language: 'python',
    text: ['class Job:', '    options = ["-q"]', '', '    def __init__(self, verbose=False):', '        if verbose:', '            Job.options.append("-v")'],
    expect: ['6:unbounded-collection'],
  },
  {
    name: 'Python: a dataclass post-init adds every instance to a module-level list',
    language: 'python',
    text: ['from dataclasses import dataclass', '', '_made = []', '', '', '@dataclass', 'class Point:', '    x: int', '', '    def __post_init__(self):', '        _made.append(self)'],
    expect: ['11:unbounded-collection'],
  },
  {
    name: 'Python: a module-level set that every instance joins with `|=`',
    language: 'python',
    text: ['_live = set()', '', '', 'class Session:', '    def __init__(self, user):', '        global _live', '        self.user = user', '        _live |= {self}'],
    expect: ['8:unbounded-collection'],
  },
  {
    name: "Python: a module-level limiter's defaultdict read per client from a route",
    language: 'python',
    text: [
      'import collections',
      'import time',
      '',
      '',
      'class Limiter:',
      '    def __init__(self, limit):',
      '        self.limit = limit',
      '        self._hits = collections.defaultdict(list)',
      '',
      '    def allow(self, client):',
      '        bucket = self._hits[client]',
      '        bucket[:] = [t for t in bucket if t > time.time() - 60]',
      '        bucket.append(time.time())',
      '        return len(bucket) <= self.limit',
      '',
      '    def reset(self):',
      '        self._hits.clear()',
      '',
      '',
      'limiter = Limiter(30)',
      '',
      '',
      '@app.get("/quote")',
      'def quote(request):',
      '    if not limiter.allow(request.remote_addr):',
      '        abort(429)',
    ],
    expect: ['11:unbounded-collection'],
    fixed: 'self._hits.pop(next(iter(self._hits)))',
  },
  {
    name: 'Python: a module-level defaultdict counter read per user in an event handler',
    language: 'python',
    text: ['from collections import defaultdict', '', 'failures = defaultdict(int)', '', '', '@bus.on("login_failed")', 'def on_login_failed(event):', '    failures[event.user_id] += 1', '    if failures[event.user_id] > 5:', '        lock(event.user_id)'],
    expect: ['8:unbounded-collection'],
  },
  {
    name: 'JS: a constructor adds every instance to a static array',
    language: 'javascript',
    text: ['export class Widget {', '  static all = [];', '', '  constructor(el) {', '    this.el = el;', '    Widget.all.push(this);', '  }', '}'],
    expect: ['6:unbounded-collection'],
  },
  {
    name: "TS: a constructor records each connection's id in a module-level set",
    language: 'typescript',
    text: ['const opened = new Set<string>();', '', 'export class Connection {', '  constructor(readonly id: string) {', '    opened.add(`${id}:${Date.now()}`);', '  }', '}'],
    expect: ['5:unbounded-collection'],
  },
  {
    name: 'Python: a decorator class memoizes through a helper it hands its dict to',
    language: 'python',
    text: [
      'class memoized:',
      '    def __init__(self, fn):',
      '        self.fn = fn',
      '        self.results_cache = {}',
      '',
      '    def __call__(self, *args):',
      '        return self._lookup(self.results_cache, args)',
      '',
      '    def _lookup(self, table, key):',
      '        if key not in table:',
      '            table[key] = self.fn(*key)',
      '        return table[key]',
    ],
    expect: ['11:unbounded-cache'],
    fixed: 'while len(table) > 1000:',
  },
  {
    name: 'Python: a module function stores into the module cache it is handed',
    language: 'python',
    text: ['_PAGE_CACHE = {}', '', '', 'def _remember(store, url, body):', '    store[url] = body', '', '', 'async def fetch_page(url):', '    body = await download(url)', '    _remember(_PAGE_CACHE, url, body)', '    return body'],
    expect: ['5:unbounded-cache'],
  },
];

const LOOKALIKES: Case[] = [
  {
    name: "Python: an initialiser adds the canvas it is given to the class's list only if absent",
    language: 'python',
    text: ['class Pen:', '    screens = []', '', '    def __init__(self, canvas):', '        if canvas not in Pen.screens:', '            Pen.screens.append(canvas)', '        self.canvas = canvas'],
    expect: [],
  },
  {
    name: 'Python: a module-level set of the names instances are made with',
    language: 'python',
    text: ['_seen_names = set()', '', '', 'class Loader:', '    def __init__(self, names):', '        global _seen_names', '        _seen_names |= set(names)'],
    expect: [],
  },
  {
    name: 'Python: an initialiser copies the class list before extending it',
    language: 'python',
    text: ['class Renderer:', '    flags = []', '', '    def __init__(self, width):', '        self.flags = list(self.flags)', '        self.flags += ["--width", str(width)]'],
    expect: [],
  },
  {
    name: 'Python: an initialiser fills the instance its own list',
    language: 'python',
    text: ['class Renderer:', '    def __init__(self, width):', '        self.flags = []', '        self.flags += ["--width", str(width)]', '        self.flags.append("-q")'],
    expect: [],
  },
  {
    name: 'Python: a class list filled by a class method that registers subclasses',
    language: 'python',
    text: ['class Plugin:', '    kinds = []', '', '    @classmethod', '    def register(cls, kind):', '        cls.kinds.append(kind)', '        return kind'],
    expect: [],
  },
  {
    name: 'Python: a shared list extended per instance and trimmed to the newest',
    language: 'python',
    text: ['class Renderer:', '    flags = []', '', '    def __init__(self, width):', '        self.flags += ["--width", str(width)]', '        del self.flags[:-20]'],
    expect: [],
  },
  {
    name: "Python: a singleton's initialiser runs once",
    language: 'python',
    text: ['_paths = []', '', '', 'class Settings:', '    def __init__(self, root):', '        _paths.append(root)', '', '', 'settings = Settings("/etc")'],
    expect: [],
  },
  {
    name: "Python: a function's own list extended with `+=`",
    language: 'python',
    text: ['def handle_request(request):', '    parts = []', '    parts += request.headers', '    return parts'],
    expect: [],
  },
  {
    name: "Python: a limiter's defaultdict whose emptied buckets are deleted",
    language: 'python',
    text: [
      'import collections',
      '',
      '',
      'class Limiter:',
      '    def __init__(self):',
      '        self._hits = collections.defaultdict(list)',
      '',
      '    def allow(self, client):',
      '        bucket = self._hits[client]',
      '        bucket.append(1)',
      '        if len(bucket) > 10:',
      '            del self._hits[client]',
      '            return False',
      '        return True',
      '',
      '',
      'limiter = Limiter()',
      '',
      '',
      '@app.get("/quote")',
      'def quote(request):',
      '    return limiter.allow(request.remote_addr)',
    ],
    expect: [],
  },
  {
    name: 'Python: a defaultdict read only for keys already in it',
    language: 'python',
    text: ['from collections import defaultdict', '', 'failures = defaultdict(int)', '', '', '@bus.on("login_failed")', 'def on_login_failed(event):', '    if event.user_id in failures:', '        notify(failures[event.user_id])'],
    expect: [],
  },
  {
    name: 'Python: a defaultdict keyed by an enum member',
    language: 'python',
    text: ['from collections import defaultdict', 'from enum import Enum', '', '', 'class Level(Enum):', '    LOW = 1', '    HIGH = 2', '', '', 'counts = defaultdict(int)', '', '', '@bus.on("alert")', 'def on_alert(event):', '    counts[Level.HIGH] += 1'],
    expect: [],
  },
  {
    name: "Python: a limiter's defaultdict where the limiter is made per request",
    language: 'python',
    text: [
      'import collections',
      '',
      '',
      'class Limiter:',
      '    def __init__(self):',
      '        self._hits = collections.defaultdict(list)',
      '',
      '    def allow(self, client):',
      '        self._hits[client].append(1)',
      '        return len(self._hits[client]) < 10',
      '',
      '',
      '@app.get("/quote")',
      'def quote(request):',
      '    return Limiter().allow(request.remote_addr)',
    ],
    expect: [],
  },
  {
    name: 'Python: a module-level limiter whose method no handler calls',
    language: 'python',
    text: ['import collections', '', '', 'class Tally:', '    def __init__(self):', '        self._seen = collections.defaultdict(int)', '', '    def count(self, word):', '        self._seen[word] += 1', '', '', 'tally = Tally()', '', '', 'def main(words):', '    for word in words:', '        tally.count(word)'],
    expect: [],
  },
  {
    name: "JS: a constructor fills the instance's own array",
    language: 'javascript',
    text: ['export class Widget {', '  items = [];', '', '  constructor(el) {', '    this.items.push(el);', '  }', '}'],
    expect: [],
  },
  {
    name: 'JS: a static array whose instances leave it on destroy',
    language: 'javascript',
    text: ['export class Widget {', '  static all = [];', '', '  constructor(el) {', '    Widget.all.push(this);', '  }', '', '  destroy() {', '    Widget.all.splice(Widget.all.indexOf(this), 1);', '  }', '}'],
    expect: [],
  },
  {
    name: 'TS: a singleton made once at the top level',
    language: 'typescript',
    text: ['const roots: string[] = [];', '', 'class Settings {', '  constructor(root: string) {', '    roots.push(root);', '  }', '}', '', 'export const settings = new Settings("/etc");'],
    expect: [],
  },
  {
    name: 'Python: a helper bounds the cache it is handed',
    language: 'python',
    text: [
      'class memoized:',
      '    def __init__(self, fn):',
      '        self.fn = fn',
      '        self.results_cache = {}',
      '',
      '    def __call__(self, *args):',
      '        return self._lookup(self.results_cache, args)',
      '',
      '    def _lookup(self, table, key):',
      '        if len(table) > 256:',
      '            table.clear()',
      '        table[key] = self.fn(*key)',
      '        return table[key]',
    ],
    expect: [],
  },
  {
    name: "Python: a helper stores into a function's own dict",
    language: 'python',
    text: ['def _remember(store, url, body):', '    store[url] = body', '', '', 'async def fetch_pages(urls):', '    page_cache = {}', '    for url in urls:', '        _remember(page_cache, url, await download(url))', '    return page_cache'],
    expect: [],
  },
  {
    name: "Python: a helper handed the cache only reads it",
    language: 'python',
    text: ['_PAGE_CACHE = {}', '', '', 'def _lookup(store, url):', '    return store.get(url)', '', '', 'async def fetch_page(url):', '    return _lookup(_PAGE_CACHE, url) or await download(url)'],
    expect: [],
  },
];

testRuleCases(LEAKS, LOOKALIKES);
