// Sets and deques are collections too (issue 13, gate tally): a set keeps every item added
// (`add`, `update`) and a deque made without `maxlen` every item appended, until something takes
// them out, exactly like a list or an array. The collection rule read lists and arrays only, so a
// long-lived set or deque grown per event was never looked at.
import { RuleCase as Case, testRuleCases } from './support';

const LEAKS: Case[] = [
  {
    name: 'Python: a module-level set gains a fresh token per handled message',
    language: 'python',
    text: ['import uuid', '', '_issued = set()', '', '', 'def handle_message(msg):', '    token = uuid.uuid4().hex', '    _issued.add(token)', '    send(msg, token)'],
    expect: ['8:unbounded-collection'],
    fixed: 'if len(_issued) > 10000: _issued.clear()',
  },
  {
    name: "Python: a server's deque without maxlen records every request",
    language: 'python',
    text: ['import collections', '', '', 'class MetricsServer:', '    def __init__(self):', '        self.history = collections.deque()', '', '    def handle(self, request):', '        self.history.append(request.path)'],
    expect: ['9:unbounded-collection'],
    fixed: 'self.history = collections.deque(maxlen=10000)',
  },
  {
    name: 'Python: a module-level deque of events filled from a list, appended on the left',
    language: 'python',
    text: ['from collections import deque', '', 'recent_events = deque(load_initial())', '', '', 'def record(event):', '    recent_events.appendleft(event)'],
    expect: ['7:unbounded-collection'],
    fixed: 'recent_events = collections.deque(load_initial(), maxlen=10000)',
  },
  {
    name: 'JS: a module-level set of visited URLs added to per crawl',
    language: 'javascript',
    text: ['const visited = new Set();', '', 'export async function crawl(url) {', '  visited.add(url);', '  return fetch(url);', '}'],
    expect: ['4:unbounded-collection'],
    fixed: 'visited.delete(visited.values().next().value)',
  },
  {
    name: 'TS: a module-level set of samples added to per reading',
    language: 'typescript',
    text: ['const samples = new Set<number>();', '', 'export function record(value: number): void {', '  samples.add(value);', '}'],
    expect: ['4:unbounded-collection'],
  },
];

const LOOKALIKES: Case[] = [
  {
    name: 'Python: a deque with maxlen drops its oldest item itself',
    language: 'python',
    text: ['import collections', '', 'recent_events = collections.deque(maxlen=100)', '', '', 'def record(event):', '    recent_events.append(event)'],
    expect: [],
  },
  {
    name: 'Python: a set of open connections discards each one on close',
    language: 'python',
    text: ['_open = set()', '', '', 'def on_open(conn):', '    _open.add(conn.id)', '', '', 'def on_close(conn):', '    _open.discard(conn.id)'],
    expect: [],
  },
  {
    name: 'Python: a set of seen items that finished work is subtracted from',
    language: 'python',
    text: ['seen = set()', '', '', 'def handle_batch(batch):', '    seen.update(batch.ids)', '    seen -= finished_ids()'],
    expect: [],
  },
  {
    name: 'Python: a set of the senders a handler has heard from holds each sender once',
    language: 'python',
    text: ['class Hub:', '    def __init__(self):', '        self.server = Server()', '        self.known = set()', '        self.server.subscribe(self._on_hello)', '', '    def _on_hello(self, message):', '        self.known.add(message.sender)'],
    expect: [],
  },
  {
    name: "Python: a function's own set goes when it returns",
    language: 'python',
    text: ['def handle_message(msg):', '    seen = set()', '    for part in msg.parts:', '        seen.add(part.id)', '    return seen'],
    expect: [],
  },
  {
    name: "TS: a walker's own set of what it has seen goes with the walker",
    language: 'typescript',
    text: ['export class Walker {', '  seen = new Set<string>();', '', '  visit(path: string): void {', '    if (this.seen.has(path)) return;', '    this.seen.add(path);', '  }', '}'],
    expect: [],
  },
  {
    name: 'JS: a set of visited URLs that deletes each one when done',
    language: 'javascript',
    text: ['const visited = new Set();', '', 'export async function crawl(url) {', '  visited.add(url);', '  try {', '    return await fetch(url);', '  } finally {', '    visited.delete(url);', '  }', '}'],
    expect: [],
  },
  {
    name: 'JS: a WeakSet does not keep what it holds',
    language: 'javascript',
    text: ['const visited = new WeakSet();', '', 'export function mark(node) {', '  visited.add(node);', '}'],
    expect: [],
  },
  {
    name: 'JS: a size-checked set of samples',
    language: 'javascript',
    text: ['const samples = new Set();', '', 'export function record(value) {', '  if (samples.size >= 500) return;', '  samples.add(value);', '}'],
    expect: [],
  },
];

testRuleCases(LEAKS, LOOKALIKES);
