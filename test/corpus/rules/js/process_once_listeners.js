// `once` on the process and set-up methods of classes that end: per-instance listeners that
// stay until the process (or page) ends.
class ProgressBar {
  constructor(total) {
    this.total = total;
    process.once('SIGINT', this.stop.bind(this)); // expect: handler-not-cleared
  }

  stop() {
    this.total = 0;
  }
}

class CleanProgressBar {
  constructor(total) {
    this.total = total;
    this.onSigint = this.stop.bind(this);
    process.once('SIGINT', this.onSigint);
  }

  stop() {
    process.removeListener('SIGINT', this.onSigint);
  }
}

class Provider {
  constructor(url) {
    this.url = url;
    this.registerEventListeners();
  }

  registerEventListeners() {
    window.addEventListener('online', this.connect.bind(this)); // expect: handler-not-cleared
  }

  connect() {}

  destroy() {
    // a fresh bind is a different function: this removes nothing
    window.removeEventListener('online', this.connect.bind(this));
  }
}

class CleanProvider {
  constructor(url) {
    this.url = url;
    this.boundConnect = this.connect.bind(this);
    this.registerEventListeners();
  }

  registerEventListeners() {
    window.addEventListener('online', this.boundConnect);
  }

  connect() {}

  destroy() {
    window.removeEventListener('online', this.boundConnect);
  }
}

// Set-up of a module that lives as long as the process: one listener, meant to stay.
function installShutdown(server) {
  process.once('SIGTERM', () => server.close());
}

module.exports = { ProgressBar, CleanProgressBar, Provider, CleanProvider, installShutdown };
