// Listeners on an emitter the class keeps in `this.emitter` but does not own: a registry hands the
// same emitter to every instance, so each instance's listener (which holds the instance) stays.
const registry = require('./registry');
const bus = require('./bus');

class InboundListener {
  constructor() {
    this.emitter = registry.getEmitter('inbound');
    this.routes = {};
  }

  init() {
    this.emitter.on('inbound', (data) => this.dispatch(data)); // expect: handler-not-cleared
  }

  dispatch(data) {
    const route = this.routes[data.path];
    if (route) route(data);
  }
}

// The same shape with the removal: quiet.
class ReleasingListener {
  constructor() {
    this.emitter = registry.getEmitter('inbound');
    this.onInbound = (data) => this.dispatch(data);
  }

  init() {
    this.emitter.on('inbound', this.onInbound);
  }

  close() {
    this.emitter.off('inbound', this.onInbound);
  }

  dispatch(data) {
    return data;
  }
}

// An emitter made for the instance goes with it: quiet.
class OwnEmitterListener {
  constructor() {
    this.emitter = registry.createEmitter();
  }

  init() {
    this.emitter.on('inbound', (data) => this.dispatch(data));
  }

  dispatch(data) {
    return data;
  }
}

// Two classes keep the module's bus as `this.events`; only Sidebar removes its handler. The removal
// is spelled like Panel's, but it is Sidebar's attribute, so Panel's listener stays.
class Panel {
  constructor() {
    this.events = bus;
    this.onUpdate = () => this.render();
  }

  mount() {
    this.events.on('update', this.onUpdate); // expect: handler-not-cleared
  }

  render() {}
}

class Sidebar {
  constructor() {
    this.events = bus;
    this.onUpdate = () => this.render();
  }

  mount() {
    this.events.on('update', this.onUpdate);
  }

  unmount() {
    this.events.off('update', this.onUpdate);
  }

  render() {}
}

module.exports = { InboundListener, ReleasingListener, OwnEmitterListener, Panel, Sidebar };
