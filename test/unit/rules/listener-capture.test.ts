// handler-not-cleared (JS), a DOM removal given another capture flag than the add: the DOM
// matches a removal by event, function and capture flag, so `removeEventListener('scroll', f)`
// does not take back `addEventListener('scroll', f, { capture: true })` and the listener stays
// with what it holds. Leaks fire on the add, and the preferred fix (the add's options on the
// removal) re-parses and silences it; look-alikes whose flags agree, however written, stay quiet.
import { RuleCase as Case, testRuleCases } from './support';

/** A popup whose constructor keeps its handlers; show() adds one to the window, hide() removes it. */
function popup(added: string, removed: string): string[] {
  return [
    'export class Popup extends HTMLElement {',
    '  constructor() {',
    '    super();',
    '    this.onScroll = () => { this.open = false; };',
    '  }',
    '  show() {',
    `    window.addEventListener('scroll', this.onScroll${added});`,
    '  }',
    '  hide() {',
    `    window.removeEventListener('scroll', this.onScroll${removed});`,
    '  }',
    '}',
  ];
}

/** The same popup minified: a class field handler, the add and the removal in one if/else. */
function minifiedPopup(added: string, removed: string): string[] {
  return [
    'class p extends HTMLElement{_s=()=>{this.o=!1};u(t){t.has("open")&&(this.o?window.addEventListener("scroll",this._s' + added + '):(this.h(),window.removeEventListener("scroll",this._s' + removed + ')))}}',
    'customElements.define("x-p",p);',
  ];
}

/** An ES5 menu: the constructor binds its handler, open() adds it to the document, destroy() removes it. */
function menu(added: string, removed: string): string[] {
  return [
    'function Menu(element) {',
    '  this.element = element;',
    '  this.onClick = this.close.bind(this);',
    '}',
    'Menu.prototype.open = function () {',
    `  document.addEventListener('click', this.onClick${added});`,
    '};',
    'Menu.prototype.destroy = function () {',
    `  document.removeEventListener('click', this.onClick${removed});`,
    '};',
    'module.exports = Menu;',
  ];
}

const LEAKS: Case[] = [
  {
    name: 'js: added with { capture: true }, removed without options',
    language: 'javascript',
    text: popup(', { capture: true }', ''),
    expect: ['7:handler-not-cleared'],
    fixed: "window.removeEventListener('scroll', this.onScroll, { capture: true });",
  },
  {
    name: 'js (minified): added with {capture:!0}, removed without options',
    language: 'javascript',
    text: minifiedPopup(',{capture:!0}', ''),
    expect: ['1:handler-not-cleared'],
    fixed: 'window.removeEventListener("scroll",this._s, {capture:!0})',
  },
  {
    name: 'ts: added without options, removed with capture true',
    language: 'typescript',
    text: popup('', ', true'),
    expect: ['7:handler-not-cleared'],
    fixed: "window.removeEventListener('scroll', this.onScroll);",
  },
  {
    name: 'js (ES5 prototype): open() adds with true, destroy() removes with { capture: false }',
    language: 'javascript',
    text: menu(', true', ', { capture: false }'),
    expect: ['6:handler-not-cleared'],
    fixed: "document.removeEventListener('click', this.onClick, true);",
  },
];

const LOOKALIKES: Case[] = [
  {
    name: 'js: { capture: true } on the add, true on the removal',
    language: 'javascript',
    text: popup(', { capture: true }', ', true'),
    expect: [],
  },
  {
    name: 'js: { passive: true } on the add (no capture), nothing on the removal',
    language: 'javascript',
    text: popup(', { passive: true }', ''),
    expect: [],
  },
  {
    name: 'js: the same options variable on both',
    language: 'javascript',
    text: popup(', this.options', ', this.options'),
    expect: [],
  },
  {
    name: 'js (minified): {capture:!0} on both',
    language: 'javascript',
    text: minifiedPopup(',{capture:!0}', ',!0'),
    expect: [],
  },
  {
    name: 'js (ES5 prototype): { capture: true } on both, spelled with quotes on one',
    language: 'javascript',
    text: menu(', { capture: true }', ", { 'capture': true }"),
    expect: [],
  },
];

testRuleCases(LEAKS, LOOKALIKES);
