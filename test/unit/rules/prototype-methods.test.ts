// ES5 classes (`function Panel() {…}` with `Panel.prototype.init = function () {…}`, or
// `Panel.prototype = { init: function () {…} }`) read as classes: a prototype's `destroy` is the
// instance's teardown, so what `init` adds to the window or page must be taken back there.
import { RuleCase as Case, testRuleCases } from './support';

/** A constructor function with prototype methods assigned one by one. */
function assigned(init: readonly string[], destroy: readonly string[] | undefined): string[] {
  return [
    'function Panel(el) {',
    '  this.el = el;',
    '}',
    'Panel.prototype.init = function () {',
    ...init,
    '};',
    'Panel.prototype.onResize = function () {};',
    ...(destroy ? ['Panel.prototype.destroy = function () {', ...destroy, '};'] : []),
    'module.exports = Panel;',
  ];
}

/** The same class with its prototype written as one object literal. */
function literal(init: readonly string[], destroy: readonly string[]): string[] {
  return [
    'function Panel(el) {',
    '  this.el = el;',
    '}',
    'Panel.prototype = {',
    '  init: function () {',
    ...init,
    '  },',
    '  destroy: function () {',
    ...destroy,
    '  },',
    '};',
    'module.exports = Panel;',
  ];
}

const RESIZE_AND_SCROLL = ["  window.addEventListener('resize', this.onResize);", "  window.addEventListener('scroll', this.onScroll);"];

const LEAKS: Case[] = [
  {
    name: 'javascript: a prototype init adds two window listeners; the prototype destroy removes one',
    language: 'javascript',
    text: assigned(RESIZE_AND_SCROLL, ["  window.removeEventListener('resize', this.onResize);"]),
    expect: ['6:handler-not-cleared'],
  },
  {
    name: 'javascript: a bound copy added to the document in a prototype init that its destroy never takes back',
    language: 'javascript',
    text: assigned(["  document.addEventListener('touchmove', this.prevent.bind(this));"], ["  this.el.remove();"]),
    expect: ['5:handler-not-cleared'],
  },
  {
    name: 'javascript: an object-literal prototype whose destroy misses the scroll listener',
    language: 'javascript',
    text: literal(["    window.addEventListener('resize', this.onResize);", "    window.addEventListener('scroll', this.onScroll);"], ["    window.removeEventListener('resize', this.onResize);"]),
    expect: ['7:handler-not-cleared'],
  },
];

const LOOKALIKES: Case[] = [
  {
    name: 'javascript: the prototype destroy removes every window listener init added',
    language: 'javascript',
    text: assigned(RESIZE_AND_SCROLL, ["  window.removeEventListener('resize', this.onResize);", "  window.removeEventListener('scroll', this.onScroll);"]),
    expect: [],
  },
  {
    name: 'javascript: a prototype init of a class with no teardown is the page\'s one-time set-up',
    language: 'javascript',
    text: assigned(RESIZE_AND_SCROLL, undefined),
    expect: [],
  },
  {
    name: 'javascript: the object-literal prototype\'s destroy removes both listeners',
    language: 'javascript',
    text: literal(["    window.addEventListener('resize', this.onResize);", "    window.addEventListener('scroll', this.onScroll);"], ["    window.removeEventListener('resize', this.onResize);", "    window.removeEventListener('scroll', this.onScroll);"]),
    expect: [],
  },
];

testRuleCases(LEAKS, LOOKALIKES);
