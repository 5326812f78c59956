// Runs jobs in child processes.
import { fork } from 'node:child_process';
import { cpus } from 'node:os';

const workers = [];
const jobHistory = [];

for (let i = 0; i < cpus().length; i++) {
  const worker = fork(new URL('./job-runner.mjs', import.meta.url));
  worker.on('exit', (code) => console.error(`worker ${i} exited with ${code}`));
  workers.push(worker);
}

process.on('SIGTERM', () => {
  for (const worker of workers) worker.kill();
});

export function handleJob(job) {
  const worker = workers[job.id % workers.length];
  process.on('exit', () => worker.kill()); // expect: handler-not-cleared
  jobHistory.push({ id: job.id, at: Date.now() }); // expect: unbounded-collection
  worker.send(job);
}

export function history() {
  return jobHistory.slice(-100);
}
