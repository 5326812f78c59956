// @ts-nocheck -- a sample of user code for the leak rules, not part of this project
// Express service: job progress per user, kept in module-level tables filled by the routes below.
import express, { Request, Response } from 'express';

const progressByUser = new Map<string, number[]>();
const lastSeen: Record<string, number> = {};
const tagsByJob: Record<string, string[]> = {};
const handlersByName = new Map<string, (req: Request) => void>();
const inflight = new Map<string, number>();

export const app = express();

function registerHandler(name: string, handler: (req: Request) => void): void {
  handlersByName.set(name, handler);
}

function summarize(values: number[]): string {
  const total = values.reduce((a, b) => a + b, 0);
  return `${values.length} updates, ${total} total`;
}

function percent(done: number, total: number): number {
  return total === 0 ? 0 : Math.round((100 * done) / total);
}

registerHandler('noop', () => undefined);

app.post('/progress/:user', (req: Request, res: Response) => {
  const user = req.params.user;
  if (!progressByUser.has(user)) progressByUser.set(user, []); // expect: unbounded-collection
  progressByUser.get(user)!.push(percent(req.body.done, req.body.total));
  res.json({ summary: summarize(progressByUser.get(user) ?? []) });
});

app.get('/ping/:client', (req: Request, res: Response) => {
  lastSeen[req.params.client] = Date.now(); // expect: unbounded-collection
  res.send('pong');
});

app.post('/jobs/:id/tags', (req: Request, res: Response) => {
  const id = req.params.id;
  tagsByJob[id].push(String(req.body.tag)); // expect: unbounded-collection
  res.sendStatus(204);
});

app.post('/jobs/:id/start', (req: Request, res: Response) => {
  inflight.set(req.params.id, Date.now());
  res.sendStatus(202);
});

app.post('/jobs/:id/end', (req: Request, res: Response) => {
  inflight.delete(req.params.id);
  res.sendStatus(200);
});
