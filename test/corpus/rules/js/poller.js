// Polls job status for the dashboard.
'use strict';

class StatusPoller {
  constructor(client, jobId) {
    this.client = client;
    this.jobId = jobId;
    this.status = undefined;
  }

  poll() {
    this.client.status(this.jobId).then((status) => {
      this.status = status;
    });
    this.timer = setTimeout(() => this.poll(), 5_000); // expect: timer-not-cleared
  }
}

class StoppablePoller {
  constructor(client) {
    this.client = client;
    this.running = false;
  }

  start() {
    this.running = true;
    this.poll();
  }

  poll() {
    this.client.ping();
    if (this.running) this.timer = setTimeout(() => this.poll(), 5_000);
  }

  stop() {
    this.running = false;
    clearTimeout(this.timer);
  }
}

function heartbeat() {
  process.stdout.write('.');
  setTimeout(heartbeat, 1_000);
}

heartbeat();

module.exports = { StatusPoller, StoppablePoller };
