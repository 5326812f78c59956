// stream-no-drain: asyncio `StreamWriter.write` in a loop that never awaits `drain()`. write()
// only appends to the transport's buffer; without drain() nothing slows the loop down when the
// peer reads slower than we write. Also sync broadcasts to every peer's transport with no look at
// the buffer (broadcast-no-backpressure.ts).
import type { Node } from 'web-tree-sitter';
import { Detection, Rule, RuleContext } from '../rule';
import { broadcastWrites } from './broadcast-no-backpressure';
import { field } from '../syntax';
import { escapeRegExp } from '../text';
import { enclosingFunction, enclosingLoop, insertAfterStatement, isAsync, standsAlone } from './syntax';

const WRITER = /(^|_)writer$/i;

export const streamNoDrain: Rule = {
  id: 'stream-no-drain',
  family: 'python',
  collect: ['call'],
  detect(context) {
    const lastByLoop = new Map<number, { write: Node; loop: Node; writer: string }>();
    for (const call of context.index.nodes('call')) {
      const site = writeInLoop(context, call);
      if (!site) continue;
      const previous = lastByLoop.get(site.loop.id);
      if (!previous || previous.write.startIndex < call.startIndex) lastByLoop.set(site.loop.id, { write: call, ...site });
    }
    const detections: Detection[] = [];
    for (const { write, loop, writer } of lastByLoop.values()) {
      const statement = write.parent;
      const fix =
        statement && standsAlone(statement, context.source)
          ? [{ title: `Await ${writer}.drain() after the write`, isPreferred: true, edits: [insertAfterStatement(context.source, statement, [`await ${writer}.drain()`])] }]
          : [];
      detections.push({
        anchor: write,
        scope: loop,
        message: `${writer}.${write.text.includes('.writelines') ? 'writelines' : 'write'}() in a loop without await ${writer}.drain() buffers everything the peer has not read yet, without limit.`,
        fixes: fix,
      });
    }
    return [...detections, ...broadcastWrites(context)];
  },
};

/** `writer.write(x)` as a statement in a loop of an `async def`, the loop never draining. */
function writeInLoop(context: RuleContext, call: Node): { loop: Node; writer: string } | undefined {
  const callee = field(call, 'function');
  const receiver = callee?.type === 'attribute' ? field(callee, 'object') : undefined;
  const method = callee ? field(callee, 'attribute')?.text : undefined;
  if (!callee || !receiver || (method !== 'write' && method !== 'writelines')) return undefined;
  const last = receiver.type === 'attribute' ? field(receiver, 'attribute')?.text : receiver.type === 'identifier' ? receiver.text : undefined;
  if (!last || !WRITER.test(last) || call.parent?.type !== 'expression_statement') return undefined;
  const fn = enclosingFunction(call);
  const loop = enclosingLoop(call);
  if (!fn || !loop || !isAsync(fn)) return undefined;
  const writer = receiver.text;
  // csv.writer and friends are writers too, but synchronous ones.
  if (new RegExp(`${escapeRegExp(writer)}\\s*=\\s*(?!await)[\\w.]*writer\\s*\\(`).test(context.index.codeOf(fn))) return undefined;
  if (new RegExp(`${escapeRegExp(writer)}\\s*\\.\\s*drain\\s*\\(`).test(context.index.codeOf(loop))) return undefined;
  return { loop, writer };
}
