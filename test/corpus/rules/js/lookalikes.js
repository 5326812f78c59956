// Shapes that look like leaks and are not (taken from real packages): none of these may fire.
'use strict';
const { EventEmitter } = require('events');
const { spawn } = require('child_process');

// A wrapper that forwards its caller's listener: the caller decides when to remove it.
class PromiseEventEmitter {
  constructor() {
    this.events = new EventEmitter();
  }

  on(event, listener) {
    return this.events.on(event, listener);
  }
}

// A fresh emitter, listeners attached right after it is made: they go with it.
class Inflater {
  decompress(data, zlib) {
    this.inflate = zlib.createInflateRaw();
    this.inflate.on('data', (chunk) => this.chunks.push(chunk));
    this.inflate.write(data);
  }
}

// Registered inside a one-shot 'exit' callback of a child spawned once.
function runChild(args) {
  const child = spawn(process.execPath, args, { stdio: 'inherit' });
  child.on('exit', (code) => {
    process.on('exit', () => process.exit(code));
  });
}

// Initialisation runs once; so does a fixed loop over signals.
const bridge = { init: false };
class AuthBridge {
  static initializeBridge() {
    window.addEventListener('message', (event) => bridge.onMessage(event));
  }
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => process.exit(0));
}

// A re-arming timeout that stops itself when done.
class Differ {
  diff(work, done) {
    const step = () => {
      setTimeout(() => {
        if (work.finished()) return done(work.result());
        work.advance();
        step();
      }, 0);
    };
    step();
  }
}

// Listeners on the object itself go when it goes.
class Command extends EventEmitter {
  option(name, handler) {
    this.on(`option:${name}`, (value) => handler(value));
    return this;
  }
}

module.exports = { PromiseEventEmitter, Inflater, runChild, AuthBridge, Differ, Command };
