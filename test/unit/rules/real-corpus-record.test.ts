// The real-leak corpus's record keeping (test/corpus/rules-real): every repository the manifest
// takes files from has its row in the README's licence table, with the same case count and half,
// and all cases of a repository share one half (the split is by repository).
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fromRoot } from '../../helpers/paths';

interface RealCase {
  repo: string;
  half: string;
  licence: string;
}

const cases = (JSON.parse(readFileSync(fromRoot('test/corpus/rules-real/manifest.json'), 'utf8')) as { cases: RealCase[] }).cases;
const readme = readFileSync(fromRoot('test/corpus/rules-real/README.md'), 'utf8');

/** The licence table's rows: `| [owner/name](url) | licence | cases | half |`. */
function licenceRows(): Map<string, { licence: string; cases: number; half: string }> {
  const rows = new Map<string, { licence: string; cases: number; half: string }>();
  for (const line of readme.split('\n')) {
    const row = /^\| \[([^\]]+)\]\([^)]*\) \| ([^|]+) \| (\d+) \| (\w+) \|$/.exec(line);
    if (row) rows.set(row[1], { licence: row[2].trim(), cases: Number(row[3]), half: row[4] });
  }
  return rows;
}

function byRepository(): Map<string, { cases: number; halves: Set<string>; licences: Set<string> }> {
  const repos = new Map<string, { cases: number; halves: Set<string>; licences: Set<string> }>();
  for (const c of cases) {
    const repo = repos.get(c.repo) ?? { cases: 0, halves: new Set<string>(), licences: new Set<string>() };
    repo.cases++;
    repo.halves.add(c.half);
    repo.licences.add(c.licence);
    repos.set(c.repo, repo);
  }
  return repos;
}

test('all cases of a repository are in one half, with a licence named', () => {
  for (const [repo, { halves, licences }] of byRepository()) {
    assert.equal(halves.size, 1, `${repo} is in ${[...halves].join(' and ')}`);
    for (const licence of licences) assert.ok(licence.trim().length > 0, `${repo} has a case without a licence`);
  }
});

test("the README's licence table has one row per repository, with its case count and half", () => {
  const rows = licenceRows();
  const repos = byRepository();
  const missing = [...repos.keys()].filter((repo) => !rows.has(repo));
  const extra = [...rows.keys()].filter((repo) => !repos.has(repo));
  assert.deepEqual({ missing, extra }, { missing: [], extra: [] });
  for (const [repo, { cases: count, halves }] of repos) {
    const row = rows.get(repo)!;
    assert.deepEqual({ repo, cases: row.cases, half: row.half }, { repo, cases: count, half: [...halves][0] });
  }
});
