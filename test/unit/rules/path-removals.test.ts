// Entries that stay on some of the paths that end them (issue 13, session 22): a list of weak
// references keeps every dead ref; a table whose name a parameter shares is still the table. Each leak fires on its line and its fixes re-parse and
// silence it; each look-alike (refs with a callback, lists pruned or filtered) stays quiet.
import { RuleCase, testRuleCases } from './support';

type Case = RuleCase;

/** A buffer that hands out views and remembers each one weakly; `track` is how it remembers. */
function viewBuffer(track: string, more: readonly string[] = []): string[] {
  return [
    'import weakref',
    '',
    'class Buffer:',
    '    def __init__(self):',
    '        self._views = []',
    '',
    '    def view(self, key):',
    '        view = View(self, key)',
    `        ${track}`,
    '        return view',
    '',
    '    def resize(self, size):',
    '        for view in self._views:',
    '            if view() is not None:',
    '                view()._valid = False',
    '        self._views = []',
    ...more,
  ];
}

/** A server that keeps each request's environ by session id and takes it out when the request is served; `more` runs first. */
function environServer(more: readonly string[]): string[] {
  return [
    'class RequestServer:',
    '    def __init__(self):',
    '        self.environ = {}',
    '',
    '    def handle(self, sid, environ):',
    '        self.environ[sid] = environ',
    ...more,
    '        if not self.accept(sid):',
    '            return False',
    '        self.serve(sid)',
    '        del self.environ[sid]',
  ];
}

/** A socket server that keeps each connection's environ; `reject` is the rejected-connection path, `more` other methods. */
function socketServer(reject: readonly string[], more: readonly string[] = []): string[] {
  return [
    'class SocketServer:',
    '    def __init__(self):',
    '        self.environ = {}',
    '',
    '    def connect(self, sid, environ):',
    '        self.environ[sid] = environ',
    '        if self.trigger(sid, self.environ[sid]) is False:',
    ...reject,
    '            return False',
    '',
    '    def on_disconnect(self, sid):',
    '        self.manager.disconnect(sid)',
    '        if sid in self.environ:',
    '            del self.environ[sid]',
    ...more,
  ];
}

/** A JS hub that keeps a session per socket id; `reject` is the refused path. */
function sessionHub(reject: readonly string[]): string[] {
  return [
    'class SessionHub {',
    '  constructor(transport) {',
    '    this.transport = transport;',
    '    this.sessions = new Map();',
    '  }',
    '  open(id, user) {',
    '    this.sessions.set(id, { user });',
    '    if (!user.allowed) {',
    ...reject,
    '      return false;',
    '    }',
    '    return true;',
    '  }',
    '  close(id) {',
    '    this.transport.drop(id);',
    '    this.sessions.delete(id);',
    '  }',
    '}',
  ];
}

const LEAKS: Case[] = [
  {
    name: 'python: the disconnect path drops the connection and removes its environ; a rejected connect drops it and returns without removing',
    language: 'python',
    text: socketServer(['            self.manager.disconnect(sid)']),
    expect: ['6:unbounded-collection'],
    fixed: '            self.environ.pop(sid, None)\n            self.manager.disconnect(sid)',
  },
  {
    name: 'js: close() drops the socket and deletes its session; a refused open drops it and returns without deleting',
    language: 'javascript',
    text: sessionHub(['      this.transport.drop(id);']),
    expect: ['7:unbounded-collection'],
    fixed: '      this.sessions.delete(id);\n      this.transport.drop(id);',
  },
  {
    name: 'python: a module-level timer table; cancel() stops the timer and removes it, expire() only stops it',
    language: 'python',
    text: [
      '_timers = {}',
      '',
      'def start(key, delay):',
      '    _timers[key] = _loop.call_later(delay, expire, key)',
      '',
      'def cancel(key):',
      '    _loop.stop_timer(key)',
      '    del _timers[key]',
      '',
      'def expire(key):',
      '    _loop.stop_timer(key)',
      '    notify(key)',
    ],
    expect: ['4:unbounded-collection'],
  },
  {
    name: 'python: a parameter named like the table (`environ` beside `self.environ`) is another variable, not the table handed out',
    language: 'python',
    text: environServer([]),
    expect: ['6:unbounded-collection'],
    fixed: '            self.environ.pop(sid, None)\n            return False',
  },
  {
    name: 'python: a buffer appends a weak ref to each view it hands out and empties the list only on resize',
    language: 'python',
    text: viewBuffer('self._views.append(weakref.ref(view))'),
    expect: ['9:unbounded-collection'],
    fixed: '        self._views[:] = [r for r in self._views if r() is not None]\n        self._views.append(weakref.ref(view))',
  },
  {
    name: "python: a subclass's item access appends a weak ref to the list its base's initialiser made",
    language: 'python',
    text: [...viewBuffer('pass'), '', 'class DataBuffer(Buffer):', '    def __getitem__(self, key):', '        view = View(self, key)', '        self._views.append(weakref.ref(view))', '        return view'],
    expect: ['21:unbounded-collection'],
  },
  {
    name: 'python: a module-level observer list gets a weak ref (imported `ref`) per registration',
    language: 'python',
    text: [
      'from weakref import ref',
      '',
      '_observers = []',
      '',
      'def observe(obj):',
      '    _observers.append(ref(obj))',
      '',
      'def notify(event):',
      '    for observer in _observers:',
      '        target = observer()',
      '        if target is not None:',
      '            target.notify(event)',
    ],
    expect: ['6:unbounded-collection'],
  },
  {
    name: 'python: a signal keeps a weak method per connect and nothing drops the dead ones',
    language: 'python',
    text: [
      'import weakref',
      '',
      'class Signal:',
      '    def __init__(self):',
      '        self._slots = []',
      '',
      '    def connect(self, slot):',
      '        self._slots.append(weakref.WeakMethod(slot))',
      '',
      '    def emit(self, *args):',
      '        for slot in self._slots:',
      '            method = slot()',
      '            if method:',
      '                method(*args)',
    ],
    expect: ['8:unbounded-collection'],
  },
];

const LOOKALIKES: Case[] = [
  {
    name: 'python: the rejected connect removes the environ too',
    language: 'python',
    text: socketServer(['            self.manager.disconnect(sid)', '            del self.environ[sid]']),
    expect: [],
  },
  {
    name: 'python: the rejected connect calls the disconnect path, which removes it',
    language: 'python',
    text: socketServer(['            self.manager.disconnect(sid)', '            self.on_disconnect(sid)']),
    expect: [],
  },
  {
    name: 'python: a reconnect drops the connection and stores a fresh environ under the same id',
    language: 'python',
    text: socketServer(['            self.manager.disconnect(sid)', '            self.on_disconnect(sid)'], ['', '    def reconnect(self, sid, environ):', '        self.manager.disconnect(sid)', '        self.environ[sid] = environ']),
    expect: [],
  },
  {
    name: 'python: the two removers remove beside different calls: no call says the key ended',
    language: 'python',
    text: socketServer(['            self.manager.disconnect(sid)', '            self.send(sid, "refused")', '            del self.environ[sid]'], ['', '    def ping(self, sid):', '        self.send(sid, "ping")']),
    expect: [],
  },
  {
    name: 'js: a refused open deletes its session before dropping the socket',
    language: 'javascript',
    text: sessionHub(['      this.sessions.delete(id);', '      this.transport.drop(id);']),
    expect: [],
  },
  {
    name: 'python: the table itself is handed to a registry (it may be emptied there)',
    language: 'python',
    text: environServer(['        self.registry.keep(self.environ)']),
    expect: [],
  },
  {
    name: 'python: an unrelated class appends weak refs to its own `_views`, which it never declares',
    language: 'python',
    text: [...viewBuffer('pass'), '', 'class Gallery:', '    def show(self, view):', '        self._views.append(weakref.ref(view))'],
    expect: [],
  },
  {
    name: 'python: each weak ref has a callback that takes it out of the list when its object dies',
    language: 'python',
    text: viewBuffer('self._views.append(weakref.ref(view, self._views.remove))'),
    expect: [],
  },
  {
    name: 'python: the list is filtered to its live refs before each append',
    language: 'python',
    text: viewBuffer('self._views = [r for r in self._views if r() is not None] + [weakref.ref(view)]'),
    expect: [],
  },
  {
    name: 'python: a release method removes the view\'s ref by element',
    language: 'python',
    text: viewBuffer('self._views.append(weakref.ref(view))', ['', '    def release(self, ref):', '        self._views.remove(ref)']),
    expect: [],
  },
  {
    name: 'python: the views go into a WeakSet, which drops each one itself',
    language: 'python',
    text: viewBuffer('self._views.add(view)').map((line) => line.replace('self._views = []', 'self._views = weakref.WeakSet()')),
    expect: [],
  },
  {
    name: 'python: one weak ref appended in the initialiser only',
    language: 'python',
    text: [
      'import weakref',
      '',
      'class Child:',
      '    def __init__(self, parent):',
      '        self._parents = []',
      '        self._parents.append(weakref.ref(parent))',
    ],
    expect: [],
  },
];

testRuleCases(LEAKS, LOOKALIKES);
