// Widgets that remember every instance made, and one that forgets it on destroy.

const mountedIds = new Set();

export class Tooltip {
  static instances = [];

  constructor(el, text) {
    this.el = el;
    this.text = text;
    Tooltip.instances.push(this); // expect: unbounded-collection
  }
}

export class Popover {
  static open = [];

  constructor(el) {
    this.el = el;
    Popover.open.push(this);
  }

  destroy() {
    Popover.open.splice(Popover.open.indexOf(this), 1);
  }
}

export class Panel {
  constructor(id) {
    this.parts = [];
    this.parts.push(id);
    mountedIds.add(`${id}:${Date.now()}`); // expect: unbounded-collection
  }
}
