// Narrowings from the clean-code precision guard (issue 13): each shape the rules reported on
// well-kept code, with the reason read from the syntax, next to the leak that must still be reported.
import test from 'node:test';
import assert from 'node:assert/strict';
import { Language } from '../../../src/core/rules';
import { sharedEngine } from './support';

const found = (lines: readonly string[], language: Language) =>
  sharedEngine().then((engine) => engine.scan(lines.join('\n'), language).map((f) => `${f.range.startLine + 1}:${f.rule}`));

/** A custom element's drag: mousedown adds move and up listeners to the page; `release` is what the up listener does. */
function dragElement(release: readonly string[]): string[] {
  return [
    'export class Scrollable extends HTMLElement {',
    '  constructor() {',
    '    super();',
    '    this._onMove = (event) => { this.pos = event.pageY; };',
    '    this._onUp = () => {',
    '      this.dragging = false;',
    ...release,
    '    };',
    '    this._onOver = () => { this.visible = true; };',
    '  }',
    "  connectedCallback() { this.addEventListener('mouseover', this._onOver); }",
    "  disconnectedCallback() { this.removeEventListener('mouseover', this._onOver); }",
    '  _onThumbDown() {',
    "    document.addEventListener('mousemove', this._onMove);",
    "    document.addEventListener('mouseup', this._onUp);",
    '  }',
    '}',
  ];
}

test('handler-not-cleared: drag listeners the up handler takes back when it fires are not reported', async () => {
  const release = ["      document.removeEventListener('mousemove', this._onMove);", "      document.removeEventListener('mouseup', this._onUp);"];
  assert.deepEqual(await found(dragElement(release), 'javascript'), []);
});

test('handler-not-cleared: drag listeners nothing takes back are still reported', async () => {
  const text = dragElement([]);
  assert.deepEqual(await found(text, 'javascript'), [`${text.length - 3}:handler-not-cleared`, `${text.length - 2}:handler-not-cleared`]);
});

test('handler-not-cleared: a method listener that removes itself on its first run is not reported', async () => {
  const text = [
    'export class Select extends HTMLElement {',
    '  _onMouseMove() {',
    '    this.hoverForbidden = false;',
    "    window.removeEventListener('mousemove', this._onMouseMove);",
    '  }',
    "  disconnectedCallback() { this.removeEventListener('keydown', this._onKey); }",
    '  _scrollTo(index) {',
    '    this.hoverForbidden = true;',
    "    window.addEventListener('mousemove', this._onMouseMove);",
    '  }',
    '}',
  ];
  assert.deepEqual(await found(text, 'javascript'), []);
});

/** A module function cached with no size limit; `body` is what it does with its arguments. */
function cachedFunction(body: readonly string[]): string[] {
  return ['import functools', 'import logging', '', 'logger = logging.getLogger(__name__)', '', '', '@functools.lru_cache(maxsize=None)', 'def _report(path, key):', ...body];
}

test('method-lru-cache: a cached function that returns nothing (a warn-once guard) is not reported', async () => {
  const warnOnce = cachedFunction(['    if not path:', '        return', "    logger.warning('%s does not match at %s', key, path)"]);
  assert.deepEqual(await found(warnOnce, 'python'), []);
});

test('method-lru-cache: a cached function that returns or yields what it computes is still reported', async () => {
  assert.deepEqual(await found(cachedFunction(["    return open(path).read() + key"]), 'python'), ['7:method-lru-cache']);
  assert.deepEqual(await found(cachedFunction(['    if not path:', '        return', '    yield from open(path)']), 'python'), ['7:method-lru-cache']);
});

/** A crawler's builder: a matcher memo filled by `glob`, whose last line is `returned`. */
function globBuilder(returned: string): string[] {
  return [
    'export class Builder {',
    '  globCache = {};',
    '  filters = [];',
    '  glob(...patterns) {',
    "    let isMatch = this.globCache[patterns.join('\\0')];",
    '    if (!isMatch) {',
    '      isMatch = compile(patterns);',
    "      this.globCache[patterns.join('\\0')] = isMatch;",
    '    }',
    '    this.filters.push(isMatch);',
    `    ${returned}`,
    '  }',
    '}',
  ];
}

test('unbounded-cache: a memo filled by a chainable set-up method (it returns this) is not reported', async () => {
  assert.deepEqual(await found(globBuilder('return this;'), 'javascript'), []);
});

test('unbounded-cache: the same memo in a method that returns what it looked up is still reported', async () => {
  assert.deepEqual(await found(globBuilder('return isMatch;'), 'javascript'), ['8:unbounded-cache']);
});

test('unbounded-cache: a cache class whose set() returns this (the Map API) with no lookup first is still reported', async () => {
  const text = ['export class Cache {', '  cache = new Map();', '  set(key, value) {', '    this.cache.set(key, value);', '    return this;', '  }', '}'];
  assert.deepEqual(await found(text, 'javascript'), ['4:unbounded-cache']);
});

/** An importer's module-wide table of archive listings; `failed` is what a re-read does when it fails. */
function archiveImporter(failed: string): string[] {
  return [
    '_directory_cache = {}',
    '',
    'class ArchiveImporter:',
    '    def __init__(self, path):',
    '        _directory_cache[path] = read_directory(path)',
    '        self.archive = path',
    '',
    '    def invalidate_caches(self):',
    '        try:',
    '            _directory_cache[self.archive] = read_directory(self.archive)',
    '        except OSError:',
    failed,
  ];
}

test('unbounded-collection: a removal in the except beside a re-store ends entries other calls made (not its own), so it bounds the table', async () => {
  assert.deepEqual(await found(archiveImporter('            _directory_cache.pop(self.archive, None)'), 'python'), []);
});

test('unbounded-collection: a removal that follows its own store on the same path bounds only that store', async () => {
  const text = [
    'class Dispatcher:',
    '    def __init__(self):',
    '        self._expected = {}',
    '',
    '    def wait_for(self, stanza):',
    '        self._expected[stanza.id] = None',
    '        self.process(stanza)',
    '        del self._expected[stanza.id]',
    '',
    '    def call_for(self, stanza, func):',
    '        self._expected[stanza.id] = func',
  ];
  assert.deepEqual(await found(text, 'python'), ['11:unbounded-collection']);
});

test('unbounded-collection: a slot removed in a finally around the early exits is not reported', async () => {
  const text = [
    'class Dispatcher:',
    '    def __init__(self):',
    '        self._waiting = {}',
    '',
    '    def wait_for(self, request_id, connection):',
    '        self._waiting[request_id] = None',
    '        try:',
    '            if not connection.poll():',
    '                raise TimeoutError(request_id)',
    '            return self._waiting[request_id]',
    '        finally:',
    '            del self._waiting[request_id]',
  ];
  assert.deepEqual(await found(text, 'python'), []);
});
