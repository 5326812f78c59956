// Inclusive and self time per function from a V8 .cpuprofile (node --cpu-prof): each sample's
// time goes to every distinct function on its stack once (recursion is not counted twice).
//   [UNDER=functionName] node bench/tools/profileInclusive.mjs FILE.cpuprofile [top=40] [filter] [callee]
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

const [file, topArg = '40', filter = ''] = process.argv.slice(2);
// UNDER=name counts only the samples with that function on the stack (what it spends its time on).
const under = process.env.UNDER;
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parentOf = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
const keyOf = (node) => {
  const { functionName, url, lineNumber } = node.callFrame;
  return `${functionName || '(anonymous)'} ${url ? basename(url) : ''}:${lineNumber + 1}`;
};
const inclusive = new Map();
const self = new Map();
let total = 0;
profile.samples.forEach((id, i) => {
  const delta = (profile.timeDeltas[i + 1] ?? 0) / 1000;
  total += delta;
  const leaf = byId.get(id);
  self.set(keyOf(leaf), (self.get(keyOf(leaf)) ?? 0) + delta);
  const seen = new Set();
  for (let at = id; at !== undefined; at = parentOf.get(at)) seen.add(keyOf(byId.get(at)));
  if (under && ![...seen].some((key) => key.startsWith(under))) return;
  for (const key of seen) inclusive.set(key, (inclusive.get(key) ?? 0) + delta);
});
const rows = [...inclusive].filter(([key]) => key.includes(filter)).sort((a, b) => b[1] - a[1]).slice(0, Number(topArg));
console.log(`total ${total.toFixed(0)} ms`);
for (const [key, ms] of rows) console.log(`${ms.toFixed(0).padStart(7)} ${(self.get(key) ?? 0).toFixed(0).padStart(7)}  ${key}`);

// With a 4th argument, the time under functions matching it, split by the nearest caller outside
// tree-sitter.cjs and the wasm (who asks for the costly reads).
const callee = process.argv[5];
if (callee) {
  const callers = new Map();
  profile.samples.forEach((id, i) => {
    const delta = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    let at = id;
    while (at !== undefined && !keyOf(byId.get(at)).startsWith(callee)) at = parentOf.get(at);
    if (at === undefined) return;
    while (at !== undefined && /tree-sitter|wasm|^\(anonymous\) :|GenericJSToWasm/.test(keyOf(byId.get(at)))) at = parentOf.get(at);
    const key = at === undefined ? '?' : keyOf(byId.get(at));
    callers.set(key, (callers.get(key) ?? 0) + delta);
  });
  console.log(`\ncallers of ${callee}:`);
  for (const [key, ms] of [...callers].sort((a, b) => b[1] - a[1]).slice(0, Number(topArg))) console.log(`${ms.toFixed(0).padStart(7)}  ${key}`);
}
