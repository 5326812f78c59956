#!/usr/bin/env node
// Materialise the missing stored files of the rules-real corpus from local git mirrors.
//
//   node test/corpus/rules-real/materialise.mjs <mirror-root> [--dry-run] [--only id1,id2,...]
//
// For every case of manifest.json whose `stored_as` file is missing, the file is read with
// `git --git-dir <mirror> show <commit>:<path>` and written to `files/<...>` with the 5-line
// header described in README.md (`source: git mirror`). The commit read is `stored_commit`
// when the case has one (its `line` was remapped to that version), else `commit_before`.
// Existing files are never overwritten. The mirror of `owner/name` is looked up at
// <mirror-root>/owner+name (a bare git dir, or a directory holding one, e.g. `repo/` or `.git/`).
//
// After writing, every case stored in the file has its `line` (and `lines_ok`) checked: the
// line must hold code that plausibly is the statement the `pattern` describes (it shares an
// identifier or a leak-API word with the pattern). Suspicious lines are reported with their text
// (nothing is changed in the manifest). Plain Node, no dependencies.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const dryRun = args.includes('--dry-run');
const onlyIdx = args.indexOf('--only');
const only = onlyIdx >= 0 ? new Set((args[onlyIdx + 1] ?? '').split(',').filter(Boolean)) : null;
const positional = args.filter((a, i) => !a.startsWith('--') && !(onlyIdx >= 0 && i === onlyIdx + 1));
if (positional.length !== 1) {
    console.error('usage: node materialise.mjs <mirror-root> [--dry-run] [--only id1,id2,...]');
    process.exit(2);
}
const mirrorRoot = resolve(positional[0]);
const manifest = JSON.parse(readFileSync(join(here, 'manifest.json'), 'utf8'));

function isGitDir(d) {
    try {
        return statSync(join(d, 'HEAD')).isFile() && statSync(join(d, 'objects')).isDirectory();
    } catch {
        return false;
    }
}

const gitDirCache = new Map();
function findGitDir(repo) {
    if (gitDirCache.has(repo)) return gitDirCache.get(repo);
    const base = join(mirrorRoot, repo.replace('/', '+'));
    let found = null;
    if (isGitDir(base)) found = base;
    else if (existsSync(base) && statSync(base).isDirectory()) {
        for (const sub of ['repo', '.git', ...readdirSync(base)]) {
            const d = join(base, sub);
            if (isGitDir(d)) { found = d; break; }
            if (isGitDir(join(d, '.git'))) { found = join(d, '.git'); break; }
        }
    }
    gitDirCache.set(repo, found);
    return found;
}

function git(gitDir, ...a) {
    return execFileSync('git', ['--git-dir', gitDir, ...a], { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
}
function hasCommit(gitDir, c) {
    try { git(gitDir, 'cat-file', '-e', `${c}^{commit}`); return true; } catch { return false; }
}
/** Returns { text, commit } or { error: 'commit missing' | 'path missing' }. */
function readAt(gitDir, commit, path) {
    if (!hasCommit(gitDir, commit)) return { error: `commit missing (${commit.slice(0, 12)})` };
    try {
        const full = git(gitDir, 'rev-parse', `${commit}^{commit}`).toString().trim();
        return { text: git(gitDir, 'show', `${full}:${path}`).toString('utf8'), commit: full };
    } catch {
        return { error: `path missing (${path} at ${commit.slice(0, 12)})` };
    }
}

function header(c, commit) {
    const k = c.language === 'python' ? '#' : '//';
    return [
        `${k} Leakscope rules-real corpus. Origin: https://github.com/${c.repo}`,
        `${k} commit: ${commit}`,
        `${k} path: ${c.path}`,
        `${k} whole file, unmodified below this header; source: git mirror`,
        `${k} licence: ${c.licence} (copyright the upstream authors; see the repository's licence file)`,
    ].join('\n') + '\n';
}
const HEADER_LINES = 5;

// ---- line plausibility -------------------------------------------------------------------------
const STOP = new Set(('the and for per not are was its with that this than then when from into every each ' +
    'never after before same file line lines only keeps kept keep alive until still other which while ' +
    'where whose without one new all any fix fixed also both does has have had its out own via one ' +
    'removed remove added adds add makes made call calls called class level module instance function ' +
    'method methods object objects data memory leak leaks grows grow growing plain long lived process ' +
    'some paths path run runs many most used using uses use self this').split(' '));
// Words of leak-prone APIs: a line holding one of these is plausibly a registration/store site.
const API = new Set(('setInterval setTimeout addEventListener removeEventListener on once addListener ' +
    'removeListener off lru_cache cache cached_property functools atexit register addHandler FileHandler ' +
    'StreamHandler RotatingFileHandler append add push set setdefault connect write drain Map WeakMap ' +
    'WeakValueDictionary WeakMethod dict list memoize memoizee useEffect componentDidMount optimize ' +
    'process signal gc collect malloc_trim del').split(' '));

function tokens(s) {
    return (s.match(/[A-Za-z_$][A-Za-z0-9_$]*/g) ?? []);
}
/** Identifiers of the pattern that look like code (snake/camel case, dotted, called, decorated...). */
function codeTokens(pattern) {
    const out = new Set();
    const re = /[A-Za-z_$][A-Za-z0-9_$]*/g;
    let m;
    while ((m = re.exec(pattern))) {
        const w = m[0];
        const before = pattern[m.index - 1] ?? '';
        const after = pattern[m.index + w.length] ?? '';
        const codey = /_/.test(w) || /[a-z][A-Z]/.test(w) || /^[A-Z][a-z]+[A-Z]/.test(w) ||
            '.@'.includes(before) || '.(['.includes(after);
        if (w.length >= 2 && codey && !STOP.has(w.toLowerCase())) out.add(w);
    }
    return out;
}
function lineVerdict(lines, n, pattern) {
    const text = lines[n - 1];
    if (text === undefined) return { verdict: 'BEYOND-EOF', text: '' };
    const t = text.trim();
    if (!t) return { verdict: 'BLANK', text };
    if (/^(#|\/\/|\/\*|\*)/.test(t)) return { verdict: 'COMMENT', text };
    const lt = new Set(tokens(text));
    const code = [...codeTokens(pattern)].filter((w) => lt.has(w) || lt.has(w.replace(/^\./, '')));
    if (code.length) return { verdict: 'ok', text, why: code.join(',') };
    const api = [...lt].filter((w) => API.has(w));
    if (api.length) return { verdict: 'ok(api)', text, why: api.join(',') };
    const words = tokens(pattern).filter((w) => w.length >= 4 && !STOP.has(w.toLowerCase()));
    const shared = words.filter((w) => lt.has(w));
    if (shared.length) return { verdict: 'weak', text, why: shared.join(',') };
    return { verdict: 'SUSPECT', text };
}

// ---- main --------------------------------------------------------------------------------------
const groups = new Map(); // stored_as -> cases
for (const c of manifest.cases) {
    if (only && !only.has(c.id)) continue;
    if (!groups.has(c.stored_as)) groups.set(c.stored_as, []);
    groups.get(c.stored_as).push(c);
}

const counts = {};
const bump = (k) => { counts[k] = (counts[k] ?? 0) + 1; };
const report = (c, status, extra = '') => {
    bump(status);
    console.log(`${c.half.padEnd(4)} ${status.padEnd(16)} ${c.id}${extra ? '  ' + extra : ''}`);
};

for (const [storedAs, cases] of groups) {
    const dest = join(here, storedAs);
    if (existsSync(dest)) {
        for (const c of cases) report(c, 'already present');
        continue;
    }
    const repo = cases[0].repo;
    const gitDir = findGitDir(repo);
    if (!gitDir) {
        for (const c of cases) report(c, 'mirror missing', `${repo} not under ${mirrorRoot}`);
        continue;
    }
    // Which commit the cases' line numbers refer to (stored_commit when given).
    const wanted = [...new Set(cases.map((c) => c.stored_commit ?? c.commit_before))];
    if (wanted.length > 1) {
        for (const c of cases) report(c, 'conflict', `cases of ${storedAs} refer to different commits: ${wanted.join(' ')}`);
        continue;
    }
    let got = readAt(gitDir, wanted[0], cases[0].path);
    let fellBack = false;
    if (got.error && cases[0].stored_commit && cases[0].stored_commit !== cases[0].commit_before) {
        // The stored_commit is not in the mirror: read commit_before instead, and check the line mapping below.
        const alt = readAt(gitDir, cases[0].commit_before, cases[0].path);
        if (!alt.error) { got = alt; fellBack = true; }
    }
    if (got.error) {
        for (const c of cases) report(c, got.error.startsWith('commit') ? 'commit missing' : 'path missing', got.error);
        continue;
    }
    const content = header(cases[0], got.commit) + got.text;
    const lines = content.split('\n');
    // Verify each case's line(s) before writing.
    let bad = false;
    const notes = [];
    for (const c of cases) {
        for (const n of [c.line, ...(c.lines_ok ?? [])]) {
            const v = lineVerdict(lines, n, c.pattern);
            const primary = n === c.line;
            let note = `${c.id} L${n}${primary ? '' : ' (lines_ok)'} ${v.verdict}${v.why ? ' [' + v.why + ']' : ''}: ${v.text.trim().slice(0, 110)}`;
            if (primary && !v.verdict.startsWith('ok')) {
                // Common slip: a line counted without the header (or with it twice).
                for (const d of [HEADER_LINES, -HEADER_LINES]) {
                    const w = lineVerdict(lines, n + d, c.pattern);
                    if (w.verdict.startsWith('ok')) note += `\n        -> L${n + d} would fit (${w.why}): ${w.text.trim().slice(0, 100)}`;
                }
                if (v.verdict !== 'weak') bad = true;
            }
            notes.push(note);
        }
    }
    if (fellBack) {
        // The line numbers refer to stored_commit, which the mirror lacks: only write when they still fit.
        if (bad) {
            for (const c of cases) report(c, 'line mismatch', `read ${got.commit.slice(0, 12)} (stored_commit absent); lines do not fit`);
            for (const n of notes) console.log('        ' + n);
            continue;
        }
    }
    if (!dryRun) {
        mkdirSync(dirname(dest), { recursive: true });
        writeFileSync(dest, content, { flag: 'wx' }); // wx: never overwrite
    }
    for (const c of cases) {
        report(c, dryRun ? 'would write' : 'written', `${storedAs} @ ${got.commit.slice(0, 12)}${fellBack ? ' (commit_before; stored_commit absent)' : ''}`);
    }
    for (const n of notes) console.log('        ' + n);
    if (bad) { bump('line suspect'); console.log('        !! a case line above does not look like the statement; check it by hand'); }
}

console.log('\nsummary: ' + Object.entries(counts).map(([k, v]) => `${k}: ${v}`).join(', '));
