// @ts-nocheck -- a sample of user code for the leak rules, not part of this project
// JSON-RPC client over a worker port: replies are matched to requests by id.
import { MessagePort } from 'node:worker_threads';

type Reply = { id: number; result?: unknown; error?: string };

export class RpcClient {
  private nextId = 1;
  private replyHandlers: Record<number, (reply: Reply) => void> = {};
  private pending = new Map<number, (reply: Reply) => void>();
  private progressCallbacks = new Map<number, (done: number) => void>();

  constructor(private readonly port: MessagePort) {
    port.on('message', (reply: Reply & { progress?: number }) => {
      if (reply.progress !== undefined) this.progressCallbacks.get(reply.id)?.(reply.progress);
      else this.replyHandlers[reply.id]?.(reply);
      this.pending.get(reply.id)?.(reply);
    });
  }

  async call(method: string, params: unknown): Promise<unknown> {
    const id = this.nextId++;
    let settle: (reply: Reply) => void = () => undefined;
    const reply = new Promise<Reply>((resolve) => {
      settle = resolve;
    });
    this.replyHandlers[id] = (message) => settle(message); // expect: handler-not-cleared
    this.port.postMessage({ id, method, params });
    const answer = await reply;
    if (answer.error) throw new Error(answer.error);
    return answer.result;
  }

  async upload(chunks: Uint8Array[], onProgress: (done: number) => void): Promise<void> {
    const id = this.nextId++;
    this.progressCallbacks.set(id, (done) => onProgress(done / chunks.length));
    try {
      for (const chunk of chunks) this.port.postMessage({ id, method: 'chunk', params: chunk });
      await this.call('commit', { id });
    } finally {
      this.progressCallbacks.delete(id);
    }
  }
}
