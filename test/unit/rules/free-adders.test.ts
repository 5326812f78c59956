// Listeners added by a function that takes the target first (issue 13, gate tally: dom-event's
// `on(window, 'resize', fn)`, Closure's `listen(target, type, fn)`): an event helper registers on
// its first argument exactly as `window.on('resize', fn)` would, and the matching function given
// the same target takes it back (`off(window, 'resize', fn)`). handler-not-cleared read the method
// form only, so these adds were never looked at.
import { RuleCase as Case, testRuleCases } from './support';

/** A prototype class with dom-event's helpers: what its constructor, init() and destroy() say. */
function slider(constructor: readonly string[], init: readonly string[], destroy: readonly string[]): string[] {
  return [
    "var on = require('dom-event');",
    'var off = on.off;',
    '',
    'function Slider(el) {',
    '  this.el = el;',
    ...constructor,
    '}',
    '',
    'Slider.prototype.init = function () {',
    ...init,
    '};',
    '',
    'Slider.prototype.destroy = function () {',
    ...destroy,
    '};',
    '',
    'Slider.prototype.resize = function () {',
    '  this.width = this.el.offsetWidth;',
    '};',
  ];
}

const LEAKS: Case[] = [
  {
    name: "JS: init() hands the window a fresh bind with on(), destroy() removes another fresh bind with off()",
    language: 'javascript',
    text: slider([], ["  on(window, 'resize', this.resize.bind(this));"], ["  off(window, 'resize', this.resize.bind(this));"]),
    expect: ['9:handler-not-cleared'],
  },
  {
    name: 'TS: a component method adds an inline listener to the document with listen() on every open',
    language: 'typescript',
    text: [
      "import { listen } from './events';",
      '',
      'export class Menu {',
      '  open(): void {',
      "    listen(document, 'keydown', (event: KeyboardEvent) => this.onKey(event));",
      '  }',
      '',
      '  onKey(event: KeyboardEvent): void {',
      '    console.log(event.key);',
      '  }',
      '}',
    ],
    expect: ['5:handler-not-cleared'],
  },
];

const LOOKALIKES: Case[] = [
  {
    name: 'JS: destroy() removes the very function init() added, with off()',
    language: 'javascript',
    text: slider(['  this.onResize = this.resize.bind(this);'], ["  on(window, 'resize', this.onResize);"], ["  off(window, 'resize', this.onResize);"]),
    expect: [],
  },
  {
    name: "JS: events.on(emitter, 'end') is Node's async iterator of an event: it adds no callback",
    language: 'javascript',
    text: ["const { on } = require('events');", '', 'async function drain(stream) {', "  for await (const chunk of on(stream, 'data')) {", '    process.stdout.write(chunk);', '  }', '}'],
    expect: [],
  },
  {
    name: "JS: a module's set-up adds its one resize listener to the window with on()",
    language: 'javascript',
    text: ["var on = require('dom-event');", '', 'function setup() {', "  on(window, 'resize', function () {", '    layout();', '  });', '}', '', 'setup();'],
    expect: [],
  },
];

testRuleCases(LEAKS, LOOKALIKES);
