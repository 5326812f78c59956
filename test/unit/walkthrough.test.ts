// The Getting Started walkthrough of package.json: it leads through attach, verdict, probe, quick
// fix and restart-and-compare, its media exist, and every Leakscope command it links to is one
// the extension contributes (a dead link in a first-run guide is the worst kind).
import test from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../helpers/paths';

interface Step {
  id: string;
  description: string;
  media: { markdown?: string; image?: string };
}
interface Manifest {
  contributes: { commands: Array<{ command: string }>; walkthroughs: Array<{ id: string; steps: Step[] }> };
}

/** The manifest as VS Code shows it: `%key%` strings replaced from package.nls.json. */
function localizedManifest(): Manifest {
  const strings = JSON.parse(readFileSync(join(repoRoot(), 'package.nls.json'), 'utf8')) as Record<string, string>;
  const text = readFileSync(join(repoRoot(), 'package.json'), 'utf8');
  return JSON.parse(text, (_key, value: unknown) => {
    if (typeof value !== 'string' || !/^%[\w.]+%$/.test(value)) return value;
    const resolved = strings[value.slice(1, -1)];
    assert.ok(resolved !== undefined, `package.nls.json has no ${value}`);
    return resolved;
  }) as Manifest;
}

const manifest = localizedManifest();

test('the walkthrough goes attach -> verdict -> find what is growing -> quick fix -> restart and compare', () => {
  const [walkthrough] = manifest.contributes.walkthroughs;
  assert.deepEqual(walkthrough.steps.map((s) => s.id), ['attach', 'verdict', 'findGrowing', 'quickFix', 'restartAndCompare']);
});

test('every %key% of package.json is in package.nls.json, and every string there is used', () => {
  const strings = Object.keys(JSON.parse(readFileSync(join(repoRoot(), 'package.nls.json'), 'utf8')) as Record<string, string>);
  const used = [...readFileSync(join(repoRoot(), 'package.json'), 'utf8').matchAll(/"%([\w.]+)%"/g)].map((m) => m[1]);
  assert.deepEqual([...new Set(used)].sort(), [...strings].sort());
});

test('every step has its media file, and links only to contributed Leakscope commands', () => {
  const contributed = new Set(manifest.contributes.commands.map((c) => c.command));
  for (const step of manifest.contributes.walkthroughs.flatMap((w) => w.steps)) {
    const media = step.media.markdown ?? step.media.image;
    assert.ok(media && existsSync(join(repoRoot(), media)), `${step.id}: ${media} is missing`);
    const linked = [...step.description.matchAll(/command:(leakscope\.\w+)/g)].map((m) => m[1]);
    for (const command of linked) assert.ok(contributed.has(command), `${step.id} links to ${command}, which package.json does not contribute`);
  }
});
