// handler-not-cleared, listeners whose removal cannot work or never runs (issue 13): a removal
// given another function than the one added, and an add in a method the class runs again on the
// same emitter. Every leak fires on its line and its preferred fix re-parses and silences it;
// every look-alike stays quiet.
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
    name: 'js: each request adds a bound copy to its (reused) socket; done() removes the unbound function',
    language: 'javascript',
    text: [
      'function onSocketEnd() { this.destroy(); }',
      'function send(request) {',
      "  request.once('socket', function (socket) {",
      "    socket.once('end', onSocketEnd.bind(socket));",
      '  });',
      '  function done() {',
      "    request.socket.removeListener('end', onSocketEnd);",
      '  }',
      "  request.on('response', done);",
      '}',
    ],
    expect: ['4:handler-not-cleared'],
    fixed: "request.socket.removeListener('end', request.socket.boundOnSocketEnd);",
  },
  {
    name: 'ts: a connect() adds an arrow calling this.flush; disconnect() removes this.flush',
    language: 'typescript',
    text: [
      'export class Manager {',
      '  constructor(private connection: Connection) {}',
      '  connect(): void {',
      "    this.connection.on('drain', () => this.flush());",
      '  }',
      '  disconnect(): void {',
      "    this.connection.off('drain', this.flush);",
      '  }',
      '  flush(): void {}',
      '}',
    ],
    expect: ['4:handler-not-cleared'],
    fixed: "this.connection.off('drain', this.connection.boundFlush);",
  },
  {
    name: 'js: attach() gives the element a bound handler; detach() removes the handler itself',
    language: 'javascript',
    text: [
      'function onClick(item, event) { item.select(event); }',
      'export function attach(el, item) {',
      "  el.addEventListener('click', onClick.bind(null, item));",
      '}',
      'export function detach(el) {',
      "  el.removeEventListener('click', onClick);",
      '}',
    ],
    expect: ['3:handler-not-cleared'],
    fixed: "el.removeEventListener('click', el.boundOnClick);",
  },
  {
    name: 'js: start() adds to a server it makes only the first time, and its error handler calls start() again',
    language: 'javascript',
    text: [
      "const http = require('http');",
      'class Server {',
      '  start() {',
      '    if (!this.server) {',
      '      this.server = http.createServer((req, res) => this.onRequest(req, res));',
      '    }',
      "    this.server.on('error', (err) => this.onError(err));",
      '    this.server.listen(this.port);',
      '    return this;',
      '  }',
      '  onError(err) {',
      '    setTimeout(() => this.start(), 1000);',
      '  }',
      '}',
      'module.exports = Server;',
    ],
    expect: ['7:handler-not-cleared'],
    fixed: 'this.offError?.();',
  },
  {
    name: 'ts: connect() retries itself from the close listener it adds to a socket kept for the object',
    language: 'typescript',
    text: [
      'export class Client {',
      '  private socket: Socket;',
      '  constructor(socket: Socket) {',
      '    this.socket = socket;',
      '  }',
      '  connect(): void {',
      "    this.socket.on('close', () => setTimeout(() => this.connect(), 500));",
      '    this.socket.open();',
      '  }',
      '}',
    ],
    expect: ['7:handler-not-cleared'],
    fixed: 'this.offClose?.();',
  },
  {
    name: 'js: restart() runs listen() again, which adds to the watcher the constructor made',
    language: 'javascript',
    text: [
      'export class Reloader {',
      '  constructor(watcher) {',
      '    this.watcher = watcher;',
      '    this.listen();',
      '  }',
      '  listen() {',
      "    this.watcher.on('change', (path) => this.reload(path));",
      '  }',
      '  restart() {',
      '    this.listen();',
      '  }',
      '}',
    ],
    expect: ['7:handler-not-cleared'],
    fixed: 'this.offChange?.();',
  },
  {
    name: 'python: a module function connects a method of the object it is given to a module-level signal',
    language: 'python',
    text: [
      'from signals import Signal',
      '',
      'languageChanged = Signal()',
      '',
      '',
      'def translate_ui(obj, priority=0):',
      '    languageChanged.connect(obj.translate_ui, priority)',
      '    obj.translate_ui()',
    ],
    expect: ['7:handler-not-cleared'],
    fixed: 'languageChanged.connect(_weak_callback(obj.translate_ui), priority)',
  },
  {
    name: 'python: a helper subscribes each widget it is given to a module-level bus',
    language: 'python',
    text: [
      'import events',
      '',
      'bus = events.Bus()',
      '',
      '',
      'def follow_theme(widget):',
      '    bus.subscribe(widget.on_theme)',
      '    widget.on_theme(current_theme())',
    ],
    expect: ['7:handler-not-cleared'],
    fixed: 'import weakref',
  },
  {
    name: 'js: a factory gives the process a listener that closes the instance it makes, returns, and can close',
    language: 'javascript',
    text: [
      'function makeClient(options) {',
      '  var client = new Client(options);',
      '  client.close = function (done) {',
      '    client.socket.end(done);',
      '  };',
      "  process.on('SIGTERM', function () {",
      '    client.close(function () { process.exit(0); });',
      '  });',
      '  return client;',
      '}',
      'module.exports = makeClient;',
    ],
    expect: ['6:handler-not-cleared'],
    fixed: "process.off('SIGTERM', onSIGTERM);",
  },
  {
    name: 'js: a factory adds one process listener per signal, each closing the instance it returns',
    language: 'javascript',
    text: [
      'export function createWorker(signals) {',
      '  const worker = new Worker();',
      '  worker.stop = () => worker.pool.drain();',
      '  signals.forEach((signal) => {',
      '    process.on(signal, () => worker.stop());',
      '  });',
      '  return worker;',
      '}',
    ],
    expect: ['5:handler-not-cleared'],
  },
];

const LOOKALIKES: Case[] = [
  {
    name: 'js: a run makes a server and closes it on SIGINT, but does not hand it out',
    language: 'javascript',
    text: [
      'async function serve(port) {',
      '  const server = new Server(port);',
      '  server.close = () => server.stopAccepting();',
      "  process.on('SIGINT', () => server.close());",
      '  await server.listen();',
      '}',
    ],
    expect: [],
  },
  {
    name: 'js: a factory hands out an object without an end of its own',
    language: 'javascript',
    text: [
      'function makeReporter(stream) {',
      '  var reporter = new Reporter(stream);',
      "  process.on('exit', function () { reporter.flush(); });",
      '  return reporter;',
      '}',
    ],
    expect: [],
  },
  {
    name: 'python: the module function connects a weak callback, not the method',
    language: 'python',
    text: [
      'import weakref',
      'from signals import Signal',
      '',
      'languageChanged = Signal()',
      '',
      '',
      'def translate_ui(obj):',
      '    ref = weakref.WeakMethod(obj.translate_ui)',
      '    languageChanged.connect(lambda: ref() and ref()())',
    ],
    expect: [],
  },
  {
    name: 'python: the file disconnects the method when the object is done',
    language: 'python',
    text: [
      'from signals import Signal',
      '',
      'languageChanged = Signal()',
      '',
      '',
      'def translate_ui(obj):',
      '    languageChanged.connect(obj.translate_ui)',
      '',
      '',
      'def forget(obj):',
      '    languageChanged.disconnect(obj.translate_ui)',
    ],
    expect: [],
  },
  {
    name: 'python: set-up connects the application object it is given, once',
    language: 'python',
    text: [
      'from signals import Signal',
      '',
      'shutdown = Signal()',
      '',
      '',
      'def setup(app):',
      '    shutdown.connect(app.close)',
    ],
    expect: [],
  },
  {
    name: 'js: start() adds its listeners only where it makes the server, so a restart does not add them again',
    language: 'javascript',
    text: [
      "const http = require('http');",
      'class Server {',
      '  start() {',
      '    if (!this.server) {',
      '      this.server = http.createServer((req, res) => this.onRequest(req, res));',
      "      this.server.on('error', (err) => this.onError(err));",
      '    }',
      '    this.server.listen(this.port);',
      '    return this;',
      '  }',
      '  onError(err) {',
      '    setTimeout(() => this.start(), 1000);',
      '  }',
      '}',
      'module.exports = Server;',
    ],
    expect: [],
  },
  {
    name: 'js: connect() makes a new socket on every run before adding to it, and retries itself',
    language: 'javascript',
    text: [
      'export class Client {',
      '  connect() {',
      '    this.socket = new WebSocket(this.url);',
      "    this.socket.addEventListener('close', () => setTimeout(() => this.connect(), 500));",
      '  }',
      '}',
    ],
    expect: [],
  },
  {
    name: 'js: listen() runs once, from the constructor',
    language: 'javascript',
    text: [
      'export class Reloader {',
      '  constructor(watcher) {',
      '    this.watcher = watcher;',
      '    this.listen();',
      '  }',
      '  listen() {',
      "    this.watcher.on('change', (path) => this.reload(path));",
      '  }',
      '}',
    ],
    expect: [],
  },
  {
    name: 'js: restart() runs start() again, and stop() first takes the error listeners back',
    language: 'javascript',
    text: [
      'export class Server {',
      '  constructor(server) {',
      '    this.server = server;',
      '  }',
      '  start() {',
      "    this.server.on('error', (err) => this.onError(err));",
      '  }',
      '  stop() {',
      "    this.server.removeAllListeners('error');",
      '  }',
      '  restart() {',
      '    this.stop();',
      '    this.start();',
      '  }',
      '}',
    ],
    expect: [],
  },
  {
    name: 'js: the bound copy is kept on the socket and done() removes that same function',
    language: 'javascript',
    text: [
      'function onSocketEnd() { this.destroy(); }',
      'function send(request) {',
      "  request.once('socket', function (socket) {",
      '    socket.onSocketEnd = onSocketEnd.bind(socket);',
      "    socket.once('end', socket.onSocketEnd);",
      '  });',
      '  function done() {',
      "    request.socket.removeListener('end', request.socket.onSocketEnd);",
      '  }',
      "  request.on('response', done);",
      '}',
    ],
    expect: [],
  },
  {
    name: 'js: the file also adds the function itself elsewhere; the removal is that one\'s',
    language: 'javascript',
    text: [
      'function onData(chunk) { this.push(chunk); }',
      'export function pipe(stream) {',
      "  stream.on('data', onData);",
      '}',
      'export function unpipe(stream) {',
      "  stream.off('data', onData);",
      '}',
      'export function tee(stream, copy) {',
      "  copy.on('data', onData.bind(stream));",
      '}',
    ],
    expect: [],
  },
  {
    name: 'js: the target drops every listener for the event',
    language: 'javascript',
    text: [
      'function onEnd() {}',
      'export function watch(socket) {',
      "  socket.on('end', onEnd.bind(socket));",
      '}',
      'export function unwatch(socket) {',
      "  socket.removeListener('end', onEnd);",
      "  socket.removeAllListeners('end');",
      '}',
    ],
    expect: [],
  },
  {
    name: 'js: the removal is for another event',
    language: 'javascript',
    text: [
      'function onEnd() {}',
      'export function watch(socket) {',
      "  socket.once('end', onEnd.bind(socket));",
      '}',
      'export function unwatch(socket) {',
      "  socket.removeListener('close', onEnd);",
      '}',
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
