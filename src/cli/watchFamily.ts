// `leakscope watch --pid MASTER --family`: the master and its Python and Node workers, each with
// its own verdict, and the sentence that names the leaking one. Lines for people by default;
// with --json one record per member per sample batch, then one for the family.
import { CliIo } from './io';
import { verdictCell } from './watchOutput';
import { describeTarget, Ending, EXIT, FamilyLimitsSaid, sayMemoryLimit, SessionCliOptions, sessionOptions } from './watchCommon';
import { FamilyBatch, FamilyMember, isNamedLeak, memberLabel, memberName, ProcessFamily } from '../core/family';
import { GrowthVerdict, ProcessInfo } from '../core/model';
import { MachineLimitFacts } from '../core/memory/machineLimitFacts';
import { sampleToJsonLine } from '../core/trace/format';
import { formatBytes, formatDuration } from '../core/units';

export interface FamilyWatchOptions extends SessionCliOptions {
  json: boolean;
  failOnLeak: boolean;
}

/** Members' histories are bounded lower than a single watch's: there are many of them. */
const MEMBER_MAX_SAMPLES = 20_000;

export const FAMILY_HELP = `  --family                  Watch N as the root of a family of workers (a gunicorn or uvicorn
                            master, a Node cluster primary, a multiprocessing pool's parent):
                            its Python and Node descendants, found every 2 s, each classified
                            on its own. A worker the master replaces (max-requests recycling)
                            takes the old one's number ("worker 2, replaced pid 790"). Prints
                            a line per sample batch (the family's total RSS and each member's),
                            members joining and exiting, their verdicts, and a summary naming
                            the leaking member ("Worker 3 of 4 (pid 812): steady leak
                            2.1 MB/min; the others flat"). With --json: a record per member
                            per batch ("type":"member": slot, name, pid, replaced_pid, and the
                            sample and verdict fields), then a "type":"family" record
                            (total_rss_bytes, live_members, workers, leaking_pids fastest
                            first, summary); "type":"joined" and "type":"exited" records as
                            members come and go. --fail-on leak exits 7 when any member
                            leaks. Not with --limit, --csv or --trace-json.`;

/** The options --family cannot take yet, as the message that says so. */
export function familyConflict(values: { limit?: string; csv?: string; 'trace-json'?: string }): string | undefined {
  const taken = (['limit', 'csv', 'trace-json'] as const).filter((name) => values[name] !== undefined);
  return taken.length === 0 ? undefined : `--family does not take ${taken.map((n) => `--${n}`).join(', ')} (one file or limit per member is not there yet)`;
}

export async function watchFamily(root: ProcessInfo, options: FamilyWatchOptions, io: CliIo): Promise<number> {
  const family = new ProcessFamily(root, { session: { ...sessionOptions(options), maxSamples: MEMBER_MAX_SAMPLES, machineLimitFacts: new MachineLimitFacts() } });
  let ending: Ending;
  try {
    ending = await runFamily(family, options, io);
  } finally {
    family.dispose();
  }
  io.err(`leakscope watch: ${ending.message}`);
  return ending.code;
}

function runFamily(family: ProcessFamily, options: FamilyWatchOptions, io: CliIo): Promise<Ending> {
  return new Promise<Ending>((resolve) => {
    const output = new FamilyOutput(family, options.json, io);
    let done = false;
    const finish = (code: number, reason: string) => {
      if (done) return;
      done = true;
      io.signal.removeEventListener('abort', onAbort);
      output.finalVerdicts();
      resolve({ code, message: `${reason} ${family.summary()}.` });
    };
    const onAbort = () => finish(EXIT.stopped, 'stopped.');
    io.signal.addEventListener('abort', onAbort, { once: true });
    const limitsSaid = new FamilyLimitsSaid();
    const joined = (member: FamilyMember) => {
      output.joined(member);
      sayMemoryLimit('watch', member.session, io, limitsSaid);
    };
    family.onMemberAdded(joined);
    family.onMemberExited((member) => output.exited(member));
    family.onMemberVerdict(({ member, verdict }) => output.verdict(member, verdict));
    family.onBatch((batch) => output.batch(batch));
    family.onRootExit((summary) => finish(EXIT.processGone, `${summary.message} The family is no longer followed.`));
    family.root.session.onLimit((notice) => {
      if (notice.level === 'reached' && notice.kind === 'duration') finish(EXIT.durationLimit, `pid ${family.root.pid}: ${notice.message}.`);
    });
    if (options.failOnLeak) {
      family.onLeak(({ member }) => finish(EXIT.leak, `${memberLabel(member)}: a leak (--fail-on leak). The processes were left running.`));
    }
    if (io.signal.aborted) return onAbort();
    io.err(`leakscope watch: watching the family of pid ${family.root.pid} (${describeTarget(family.root.session.target)}) every ${formatDuration(options.intervalMs)}; workers are looked for every 2 s; Ctrl+C to stop.`);
    joined(family.root);
    family.start().catch(() => undefined); // a failed attach arrives through onRootExit
  });
}

/** The lines for people, or the JSON records, of a family watch. */
class FamilyOutput {
  private lastSummaryShape = '';
  /** The class last printed per member: a verdict line when it changes, not at each refresh. */
  private readonly shownClass = new WeakMap<FamilyMember, string>();

  constructor(private readonly family: ProcessFamily, private readonly json: boolean, private readonly io: CliIo) {}

  joined(member: FamilyMember): void {
    const target = member.session.target;
    if (this.json) return this.record({ type: 'joined', t_ms: Date.now(), ...identity(member), command: target.argv.join(' ') });
    this.line(Date.now(), 'joined', `${memberLabel(member)}: ${describeTarget(target)}`);
  }

  exited(member: FamilyMember): void {
    const tMs = member.exit?.endedAtMs ?? Date.now();
    if (this.json) return this.record({ type: 'exited', t_ms: tMs, ...identity(member), ...verdictFields(member.verdict) });
    this.line(tMs, 'exited', `${memberLabel(member)}, last verdict: ${verdictCell(member.verdict)}`);
  }

  verdict(member: FamilyMember, verdict: GrowthVerdict): void {
    if (this.json || verdict.class === 'unknown' || this.shownClass.get(member) === verdict.class) return;
    this.shownClass.set(member, verdict.class);
    this.line(Date.now(), 'verdict', `${memberLabel(member)}: ${verdictCell(verdict)}`);
  }

  batch(batch: FamilyBatch): void {
    const summary = this.family.summary();
    if (this.json) return this.jsonBatch(batch, summary);
    const members = this.family.live.map((m) => `${shortName(m)} ${formatBytes(m.latest?.rssBytes ?? 0)}`).join(' · ');
    this.line(batch.tMs, 'total', `${formatBytes(batch.totalRssBytes)}: ${members}`);
    // The summary again only when what it says changes, not each time a rate moves.
    const shape = summary.replace(/[\d.]+ [KMGT]?B\/min/g, '');
    if (shape === this.lastSummaryShape) return;
    this.lastSummaryShape = shape;
    this.line(batch.tMs, 'summary', summary);
  }

  /** Each live member's verdict when watching ends. */
  finalVerdicts(): void {
    if (this.json) return;
    for (const member of this.family.live) this.line(Date.now(), 'final', `${memberLabel(member)}: ${verdictCell(member.verdict)}`);
  }

  private jsonBatch(batch: FamilyBatch, summary: string): void {
    for (const { member, sample } of batch.samples) {
      const fields = JSON.parse(sampleToJsonLine(sample)) as Record<string, number>;
      this.record({ type: 'member', ...identity(member), ...fields, ...verdictFields(member.verdict) });
    }
    const live = this.family.live;
    this.record({
      type: 'family',
      t_ms: batch.tMs,
      total_rss_bytes: batch.totalRssBytes,
      live_members: live.length,
      workers: live.filter((m) => m.slot > 0).length,
      leaking_pids: live.filter((m) => isNamedLeak(m.verdict)).sort((a, b) => b.verdict.slopeBytesPerS - a.verdict.slopeBytesPerS).map((m) => m.pid),
      summary,
    });
  }

  private line(tMs: number, what: string, text: string): void {
    this.io.out(`${new Date(tMs).toTimeString().slice(0, 8)}  ${what.padEnd(7)}  ${text}`);
  }

  private record(fields: Record<string, unknown>): void {
    this.io.out(JSON.stringify(fields));
  }
}

function identity(member: FamilyMember): Record<string, unknown> {
  return { slot: member.slot, name: memberName(member), pid: member.pid, ...(member.replacedPid === undefined ? {} : { replaced_pid: member.replacedPid }) };
}

/** The verdict fields of `watch --json`, once there is a verdict. */
function verdictFields(verdict: GrowthVerdict): Record<string, unknown> {
  if (verdict.class === 'unknown') return {};
  return { class: verdict.class, confidence: Math.round(verdict.confidence * 1000) / 1000, slope_bytes_per_s: Math.round(verdict.slopeBytesPerS * 100) / 100 };
}

/** "master", "w3": short enough for a row of eight workers. */
function shortName(member: FamilyMember): string {
  return member.slot === 0 ? 'master' : `w${member.slot}`;
}
