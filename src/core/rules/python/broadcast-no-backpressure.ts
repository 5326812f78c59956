// stream-no-drain, the broadcast shape: a plain (not async) function loops over every connected
// peer and writes to each one's transport (`for c in self.clients: c.transport.write(data)`).
// A sync caller cannot await drain(), and transport.write() never blocks: it buffers whatever a
// slow or stalled peer has not read, without limit, unless the code looks at the buffer
// (`get_write_buffer_size()`), reacts to `pause_writing()`, or drains somewhere.
import type { Node } from 'web-tree-sitter';
import { Detection, RuleContext } from '../rule';
import { indentUnitFor } from '../fixes';
import { field } from '../syntax';
import { insertLinesBefore } from '../text';
import { TextEdit } from '../types';
import { enclosingFunction, isAsync, standsAlone } from './syntax';

/** What a loop over peers iterates: `self.clients`, `connections.values()`, `self._transports`. */
const PEERS = /(clients|connections|conns|peers|subscribers|sessions|transports|writers|protocols|websockets|sockets|consumers|listeners)$/i;
const TRANSPORT = /^_?(transport|writer)$/;
/** Signs that the file handles backpressure for its transports (flow control, a look at the buffer). */
const BACKPRESSURE = /\bget_write_buffer_size\s*\(|\bpause_writing\b|\bwrite_buffer\w*|\bhigh_water\w*|\bset_write_buffer_limits\s*\(/;
/** An `await writer.drain()` in an async sibling does not slow a sync broadcast: only one in the same function counts. */
const DRAIN = /\bdrain\s*\(/;
const LIMIT = '1024 * 1024';

export function broadcastWrites(context: RuleContext): Detection[] {
  if (BACKPRESSURE.test(context.index.code)) return [];
  const detections: Detection[] = [];
  for (const call of context.index.nodes('call')) {
    const site = broadcastWrite(call);
    if (!site || DRAIN.test(context.index.codeOf(site.fn))) continue;
    const statement = call.parent;
    const fixes =
      statement && statement.parent?.parent?.id === site.loop.id && standsAlone(statement, context.source)
        ? [{ title: `Skip a peer whose buffer is over ${LIMIT} bytes`, isPreferred: true, edits: [skipSlowPeer(context, statement, site.transport)] }]
        : [];
    detections.push({
      anchor: call,
      scope: site.loop,
      message: `Each peer's \`${site.transport}.write()\` buffers whatever that peer has not read, and nothing here checks the buffer: one slow client makes it grow without limit.`,
      fixes,
    });
  }
  return detections;
}

/** `peer.transport.write(x)` / `peer.write(x)` as a statement in a `for peer in <peers>` loop of a sync function. */
function broadcastWrite(call: Node): { loop: Node; fn: Node; transport: string } | undefined {
  const callee = field(call, 'function');
  const method = callee?.type === 'attribute' ? field(callee, 'attribute')?.text : undefined;
  const receiver = callee?.type === 'attribute' ? field(callee, 'object') : undefined;
  if (!receiver || (method !== 'write' && method !== 'writelines') || call.parent?.type !== 'expression_statement') return undefined;
  const fn = enclosingFunction(call);
  if (!fn || isAsync(fn)) return undefined;
  const peer = receiver.type === 'attribute' && TRANSPORT.test(field(receiver, 'attribute')?.text ?? '') ? field(receiver, 'object') : receiver;
  for (let node: Node | null = call.parent; node && node.id !== fn.id; node = node.parent) {
    if (node.type !== 'for_statement') continue;
    const variable = field(node, 'left');
    const iterable = field(node, 'right')?.text.replace(/\s+/g, '').replace(/\.(values|items)\(\)$/, '') ?? '';
    if (variable?.type === 'identifier' && peer?.text === variable.text && PEERS.test(iterable) && (peer.id !== receiver.id || TRANSPORT.test(variable.text) || /transports|writers$/i.test(iterable))) {
      return { loop: node, fn, transport: receiver.text };
    }
  }
  return undefined;
}

/** `if t.get_write_buffer_size() > LIMIT: continue` right before the write. */
function skipSlowPeer(context: RuleContext, statement: Node, transport: string): TextEdit {
  const indent = context.source.indentOf(statement.startPosition.row);
  const unit = indentUnitFor(context);
  return insertLinesBefore(context.source, statement.startPosition.row, indent, [`if ${transport}.get_write_buffer_size() > ${LIMIT}:`, `${unit}continue  # a slow peer: do not buffer for it without limit`]);
}
