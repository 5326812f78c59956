// handler-not-cleared (JS), removals that share a line: a minified bundle (or a terse teardown)
// puts several removals on one line, and each of them takes its own listener back. The removal
// read first must not hide the ones after it. Leaks fire when none of the removals on the line is
// for the listener that was added; look-alikes stay quiet.
import { RuleCase as Case, testRuleCases } from './support';

/** A dropdown that adds a window listener when it opens; `closing` is the line of its close path. */
function dropdown(closing: string): string[] {
  return [
    'export class Dropdown extends HTMLElement {',
    '  constructor() {',
    '    super();',
    '    this.onScroll = () => { this.open = false; };',
    '    this.onResize = () => this.place();',
    '    this.onKey = (event) => this.key(event);',
    '  }',
    '  show() {',
    "    window.addEventListener('scroll', this.onScroll);",
    '  }',
    `  hide() { ${closing} }`,
    '}',
  ];
}

/** The same, minified: handlers set in a sequence, the add and the removal in one if/else of one line. */
function minifiedSelect(removals: string): string[] {
  return [
    'class s extends HTMLElement{constructor(){super(),this.o=!1,this._m=()=>{this.h=!1,window.removeEventListener("mousemove",this._m)},this._w=()=>{this.o=!1}}' +
      'w(t){t.has("open")&&(this.o?(window.addEventListener("scroll",this._w),this.a()):(this.b(),' + removals + '))}}',
    'customElements.define("x-s",s);',
  ];
}

/** A Node subscriber to a shared bus; `teardown` is its one-line stop(). */
function subscriber(teardown: string): string[] {
  return [
    "const bus = require('./bus');",
    'class Subscriber {',
    '  start() {',
    "    bus.on('created', this.onCreated);",
    "    bus.on('deleted', this.onDeleted);",
    '  }',
    `  stop() { ${teardown} }`,
    '  onCreated(item) { this.items.push(item); }',
    '  onDeleted(item) { this.items.splice(this.items.indexOf(item), 1); }',
    '}',
    'module.exports = Subscriber;',
  ];
}

const LEAKS: Case[] = [
  {
    name: 'js: the close path removes two other window listeners on one line, not the scroll one',
    language: 'javascript',
    text: dropdown("window.removeEventListener('resize', this.onResize); window.removeEventListener('keydown', this.onKey);"),
    expect: ['9:handler-not-cleared'],
  },
  {
    name: 'js (minified): the line removes the mousemove listener twice and never the scroll one',
    language: 'javascript',
    text: minifiedSelect('window.removeEventListener("mousemove",this._m),window.removeEventListener("resize",this._w)'),
    expect: ['1:handler-not-cleared'],
  },
  {
    name: 'js: stop() removes the first handler twice on one line and never the second',
    language: 'javascript',
    text: subscriber("bus.off('created', this.onCreated); bus.off('created', this.onCreated);"),
    expect: ['5:handler-not-cleared'],
  },
];

const LOOKALIKES: Case[] = [
  {
    name: 'js: the close path removes the scroll listener after another removal on the same line',
    language: 'javascript',
    text: dropdown("window.removeEventListener('resize', this.onResize); window.removeEventListener('scroll', this.onScroll);"),
    expect: [],
  },
  {
    name: 'js (minified): the else branch removes the scroll listener after the line removed the mousemove one',
    language: 'javascript',
    text: minifiedSelect('window.removeEventListener("scroll",this._w)'),
    expect: [],
  },
  {
    name: 'js: stop() removes both handlers from the bus on one line',
    language: 'javascript',
    text: subscriber("bus.off('created', this.onCreated); bus.off('deleted', this.onDeleted);"),
    expect: [],
  },
];

testRuleCases(LEAKS, LOOKALIKES);
