'use strict';
const { fetchStatus } = require('./api');

class JobWatcher {
  constructor(jobId, onDone) {
    this.jobId = jobId;
    this.onDone = onDone;
    this.timer = null;
    this.stopped = false;
  }

  start() {
    const poll = async () => {
      const status = await fetchStatus(this.jobId);
      if (status.done) this.onDone(status);
      setTimeout(poll, 1000); // expect: timer-not-cleared
    };
    poll();
  }

  startStoppable() {
    const poll = async () => {
      if (this.stopped) return;
      const status = await fetchStatus(this.jobId);
      if (status.done) {
        this.onDone(status);
        return;
      }
      this.timer = setTimeout(poll, 1000);
    };
    poll();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
  }
}

module.exports = { JobWatcher };
