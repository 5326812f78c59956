// Host <-> webview messages of the memory panel: one file, imported by the extension host
// (src/panel) and the webview alike, as vscode-js-profile-visualizer keeps its realtime protocol.
//
// Both directions are unions on `type`. Nothing that arrives is trusted: a webview is a
// browser page, and a message from it (or a state blob restored after a reload) is checked
// field by field before anything acts on it. The parsers never throw; they return undefined
// for anything that is not exactly a message, and the receiver logs and ignores it.
import { AllocationSite, GROWTH_CLASSES, GrowthVerdict, MonitorEvent, MonitorEventKind } from './model';
import { AnySampleColumns, OPTIONAL_COLUMNS, SampleColumns, packColumns } from './shared/columns';
import { DECOMPOSITION_PARTS, DecompositionColumns, DecompositionUpdate, Diagnosis, DIAGNOSIS_KINDS } from './shared/decomposition';
import { SETTING_INTERVAL_MS } from './shared/samplingInterval';

export const PROTOCOL_VERSION = 2;

/** Bounds that keep a malformed or hostile message from costing memory or time. */
export const LIMITS = {
  /** Samples in one message: a day at 10 Hz, far above what the host sends. */
  maxSamples: 1_000_000,
  maxEvents: 100_000,
  maxSites: 5_000,
  maxNotes: 100,
  idLength: 200,
  labelLength: 500,
  /** A limit's short name is drawn on the chart: a longer one is not a short name. */
  limitLabelLength: 120,
  textLength: 10_000,
  pathLength: 4_096,
  functionLength: 1_000,
  maxLine: 10_000_000,
  /** Members of a family in one message, and points of each member's curve. */
  maxFamilyMembers: 200,
  maxFamilyPoints: 10_000,
  /** Numbers behind one diagnosis (diagnose.ts gives about a dozen). */
  maxEvidence: 64,
  evidenceKeyLength: 64,
} as const;

export type MonitorState = 'running' | 'paused' | 'exited' | 'detached';
export const MONITOR_STATES: readonly MonitorState[] = ['running', 'paused', 'exited', 'detached'];

/** `live`: a process being sampled now. `trace`: a recording opened from a file (read-only). */
export type MonitorKind = 'live' | 'trace';

export interface MonitorLimits {
  /** Where the limit line is drawn: the RSS at which the limit that applies is hit. */
  memoryBytes?: number;
  /**
   * Which limit that is, as the core named it (src/core/memory/applicableLimit.ts), so the
   * panel names the same limit as the notices and the status bar and never guesses one: a short
   * name for the chart line and the banner ("cgroup limit 256 MB"), and the full description.
   * Only with memoryBytes; absent for a trace or when nothing is known but the user's number.
   */
  memoryLabel?: string;
  memoryDescription?: string;
  durationMs?: number;
}

/** What the panel shows about the monitor besides its samples. */
export interface MonitorDescriptor {
  id: string;
  kind: MonitorKind;
  pid?: number;
  /** Short name for the tab and header, e.g. "python train.py". */
  title: string;
  /** Full command line, for the tooltip and exports. */
  command: string;
  state: MonitorState;
  /** Why it ended, e.g. "exited with code 137 (killed: out of memory?)". */
  summary?: string;
  /** When sampling began, epoch ms. */
  startedMs: number;
  limits: MonitorLimits;
  intervalMs: number;
  /** Fraction of the memory limit at which the panel warns (leakscope.limits.warnAtFraction). */
  warnAtFraction: number;
}

export type ProbeStatus = 'running' | 'done' | 'failed';

/** What "Find what is growing" found: the sites table and free-text notes. */
export interface ProbeReport {
  status: ProbeStatus;
  /** When the probe window began, epoch ms. */
  startedMs?: number;
  sites: AllocationSite[];
  notes: string[];
}

/** A second trace drawn over the first, aligned at its start. */
export interface ComparisonTrace {
  label: string;
  samples: SampleColumns;
  events: MonitorEvent[];
}

/** One member of a process family, for the panel's small multiple: its recent RSS. */
export interface FamilyMemberView {
  /** "master", "worker 3 (pid 812, replaced pid 790)". */
  label: string;
  pid: number;
  live: boolean;
  /** Its verdict is a named leak (class and confidence as the CLI's --fail-on). */
  leaking: boolean;
  /** "steady leak 2.1 MB/min", "flat", "undecided". */
  verdict: string;
  /** Recent RSS, thinned (epoch ms, bytes); same length. */
  t: number[];
  rss: number[];
}

/** A family watched from its root (this panel's process): members, their total, the summary. */
export interface FamilyView {
  /** "Worker 3 of 4 (pid 812): steady leak 2.1 MB/min; the others flat". */
  summary: string;
  /** Some live member leaks. */
  leaking: boolean;
  members: FamilyMemberView[];
  total: { t: number[]; rss: number[] };
}

// ---- Host -> webview ----------------------------------------------------------------------

export interface InitMessage {
  type: 'init';
  monitor: MonitorDescriptor;
  samples: SampleColumns;
  events: MonitorEvent[];
  verdict: GrowthVerdict | null;
  probe: ProbeReport | null;
  comparison: ComparisonTrace | null;
  /** What RSS is made of so far, when the host reads it (absent for a recording). */
  decomposition?: DecompositionUpdate;
}
/** New samples since the last message, batched by the host. */
export interface SamplesMessage {
  type: 'samples';
  samples: SampleColumns;
}
export interface VerdictMessage {
  type: 'verdict';
  verdict: GrowthVerdict | null;
}
export interface StateMessage {
  type: 'state';
  state: MonitorState;
  summary?: string;
}
/** Interval or limits changed. */
export interface MonitorMessage {
  type: 'monitor';
  monitor: MonitorDescriptor;
}
export interface EventMessage {
  type: 'event';
  event: MonitorEvent;
}
export interface ProbeMessage {
  type: 'probe';
  probe: ProbeReport;
}
/** null clears the overlay. */
export interface ComparisonMessage {
  type: 'comparison';
  comparison: ComparisonTrace | null;
}
/** The family of the panel's process, when it was attached as one ("this process and its workers"). */
export interface FamilyMessage {
  type: 'family';
  family: FamilyView | null;
}
export interface ErrorMessage {
  type: 'error';
  text: string;
}
/** New decomposition readings since the last message (appended), and the diagnosis now (replaces). */
export interface DecompositionMessage {
  type: 'decomposition';
  decomposition: DecompositionUpdate;
}

export type ToWebviewMessage =
  | InitMessage
  | SamplesMessage
  | VerdictMessage
  | StateMessage
  | MonitorMessage
  | EventMessage
  | ProbeMessage
  | ComparisonMessage
  | FamilyMessage
  | ErrorMessage
  | DecompositionMessage;

/**
 * The message as the host posts it: sample columns (of the trace and of a comparison) packed
 * as Float64Arrays, which VS Code transfers as buffers and the webview clones as bytes; a day
 * of samples as plain arrays took the panel about a second to receive (bench/chart.ts).
 * readSampleColumns accepts both forms.
 */
/**
 * A message as the host hands it to packForPosting: an init's sample columns may already be
 * packed (the history keeps typed columns: SampleHistory.toPackedColumns).
 */
export type HostMessage = ToWebviewMessage | (Omit<InitMessage, 'samples'> & { samples: AnySampleColumns });

export function packForPosting(m: HostMessage): unknown {
  switch (m.type) {
    case 'init':
      return {
        ...m,
        samples: packColumns(m.samples),
        comparison: m.comparison && packComparison(m.comparison),
        ...(m.decomposition ? { decomposition: packDecomposition(m.decomposition) } : {}),
      };
    case 'samples':
      return { ...m, samples: packColumns(m.samples) };
    case 'comparison':
      return { ...m, comparison: m.comparison && packComparison(m.comparison) };
    case 'decomposition':
      return { ...m, decomposition: packDecomposition(m.decomposition) };
    default:
      return m;
  }
}

function packDecomposition(d: DecompositionUpdate): unknown {
  const readings: Record<string, Float64Array> = { t: Float64Array.from(d.readings.t) };
  for (const part of DECOMPOSITION_PARTS) readings[part] = Float64Array.from(d.readings[part]);
  return { ...d, readings };
}

function packComparison(c: ComparisonTrace): unknown {
  return { ...c, samples: packColumns(c.samples) };
}

// ---- Webview -> host ----------------------------------------------------------------------

export type TraceFormat = 'csv' | 'json';
export const TRACE_FORMATS: readonly TraceFormat[] = ['csv', 'json'];

/** Messages that carry nothing but their type: one button each. */
export const SIMPLE_ACTIONS = [
  'ready',
  'pause',
  'resume',
  'detach',
  'openTrace',
  'compareTrace',
  'clearComparison',
  'markFixApplied',
  'runGc',
  'runMallocTrim',
  'findGrowing',
] as const;
export type SimpleAction = (typeof SIMPLE_ACTIONS)[number];

export type FromWebviewMessage =
  | { type: SimpleAction }
  | { type: 'setInterval'; ms: number }
  | { type: 'exportTrace'; format: TraceFormat }
  | { type: 'openLocation'; file: string; line: number };

// ---- Webview state (getState/setState), restored by the host's serializer after a reload ---

export interface PanelUiState {
  followLive: boolean;
  /** Series the user switched off, by key (see webview/model/series.ts). */
  hiddenSeries: string[];
}

export interface PanelState {
  version: number;
  monitor: MonitorDescriptor;
  /** A thinned copy of the trace, enough to show it again if the process is gone. */
  samples: SampleColumns;
  events: MonitorEvent[];
  verdict: GrowthVerdict | null;
  ui: PanelUiState;
}

// ---- Validation ---------------------------------------------------------------------------

/** Thrown by the field readers below and caught by the parse functions: never escapes. */
class Invalid extends Error {}

function fail(what: string): never {
  throw new Invalid(what);
}

function record(v: unknown): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail('not an object');
  return v as Record<string, unknown>;
}

function str(v: unknown, maxLength: number, minLength = 0): string {
  if (typeof v !== 'string' || v.length > maxLength || v.length < minLength) fail('bad string');
  return v;
}

function num(v: unknown, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) fail('bad number');
  return v;
}

function int(v: unknown, min: number, max: number): number {
  if (!Number.isInteger(num(v, min, max))) fail('not an integer');
  return v as number;
}

function bool(v: unknown): boolean {
  if (typeof v !== 'boolean') fail('not a boolean');
  return v;
}

function oneOf<T extends string>(v: unknown, allowed: readonly T[]): T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) fail('not allowed');
  return v as T;
}

function arr(v: unknown, maxLength: number): unknown[] {
  if (!Array.isArray(v) || v.length > maxLength) fail('bad array');
  return v;
}

function optional<T>(v: unknown, read: (v: unknown) => T): T | undefined {
  return v === undefined ? undefined : read(v);
}

function nullable<T>(v: unknown, read: (v: unknown) => T): T | null {
  return v === null ? null : read(v);
}

const MAX_BYTES = Number.MAX_SAFE_INTEGER;
/** Epoch ms up to the year 2500: catches seconds-for-ms and garbage alike. */
const MAX_EPOCH_MS = 16_725_225_600_000;

const bytes = (v: unknown): number => num(v, 0, MAX_BYTES);
const epochMs = (v: unknown): number => num(v, 0, MAX_EPOCH_MS);
const signedBytes = (v: unknown): number => num(v, -MAX_BYTES, MAX_BYTES);

/** What a column's entries may be: checked in one loop per column, not one call per entry. */
interface NumberRange {
  min: number;
  max: number;
  integer?: boolean;
}

interface ColumnRule extends NumberRange {
  /** Each entry at least the one before (time order). */
  inOrder?: boolean;
  /** A missing reading (null; NaN when packed) allowed. */
  optional?: boolean;
}

const BYTES: NumberRange = { min: 0, max: MAX_BYTES };

/**
 * A column as sent: a plain array, or a Float64Array from a host that packs its columns
 * (packColumns in shared/columns.ts). Either way at most `maxLength` entries.
 */
function numbers(v: unknown, maxLength: number): ArrayLike<unknown> {
  if (v instanceof Float64Array) {
    if (v.length > maxLength) fail('bad array');
    return v;
  }
  return arr(v, maxLength);
}

/**
 * The one check of a column, in either form: every entry a finite number in range (NaN fails the
 * comparisons, infinities the bounds), an integer where asked; `inOrder`, each entry is also the
 * lowest the next may be (time order); `optional`, a missing reading (null, NaN when packed) is
 * allowed. A packed column comes out as the plain array the webview's store appends to, copied in
 * the same pass (a loop: Array.from walks a typed array through its iterator, several times slower);
 * a plain one comes out as it is.
 */
function checkedColumn(values: ArrayLike<unknown>, rule: ColumnRule): (number | null)[] {
  const { min, max, inOrder = false, optional = false } = rule;
  const integer = rule.integer === true;
  const packed = values instanceof Float64Array;
  const out = packed ? new Array<number | null>(values.length) : (values as (number | null)[]);
  let lowest = min;
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (optional && (x === null || (packed && Number.isNaN(x)))) {
      out[i] = null;
      continue;
    }
    if (typeof x !== 'number' || !(x >= lowest && x <= max) || (integer && !Number.isInteger(x))) fail(inOrder ? 'bad time or time goes backwards' : 'bad number');
    if (inOrder) lowest = x;
    if (packed) out[i] = x;
  }
  return out;
}

/** One column of a reading: every entry checked, and the same length as the time column. */
function column(v: unknown, length: number, range: NumberRange): number[] {
  const values = numbers(v, LIMITS.maxSamples);
  if (values.length !== length) fail('column length');
  return checkedColumn(values, range) as number[];
}

/** A reading only some samples have: null (NaN in a Float64Array) where a sample lacks it. */
function optionalColumn(v: unknown, length: number): (number | null)[] | undefined {
  if (v === undefined) return undefined;
  const values = numbers(v, LIMITS.maxSamples);
  if (values.length !== length) fail('column length');
  return checkedColumn(values, { ...BYTES, optional: true });
}

/** Epoch ms, and in time order: the chart and its decimation need it. */
const TIMES: ColumnRule = { min: 0, max: MAX_EPOCH_MS, inOrder: true };

function timeColumn(v: unknown): number[] {
  return checkedColumn(numbers(v, LIMITS.maxSamples), TIMES) as number[];
}

/** Sample columns as plain arrays or Float64Arrays (see packColumns); plain arrays out. */
export function readSampleColumns(v: unknown): SampleColumns {
  const o = record(v);
  const t = timeColumn(o.t);
  const n = t.length;
  const columns: SampleColumns = {
    t,
    rss: column(o.rss, n, BYTES),
    threads: column(o.threads, n, { min: 0, max: 1e7, integer: true }),
    fds: column(o.fds, n, { min: -1, max: 1e9, integer: true }),
    childrenRss: column(o.childrenRss, n, BYTES),
    childCount: column(o.childCount, n, { min: 0, max: 1e7, integer: true }),
    cpu: column(o.cpu, n, { min: 0, max: 1e5 }),
  };
  for (const key of OPTIONAL_COLUMNS) {
    const values = optionalColumn(o[key], n);
    if (values) columns[key] = values;
  }
  return columns;
}

const EVENT_KINDS: readonly MonitorEventKind[] = [
  'attach',
  'limit-warning',
  'limit-reached',
  'fix-applied',
  'gc',
  'malloc-trim',
  'probe',
  'exec',
  'exit',
  'note',
];

function readEvent(v: unknown): MonitorEvent {
  const o = record(v);
  return { tMs: epochMs(o.tMs), kind: oneOf(o.kind, EVENT_KINDS), label: str(o.label, LIMITS.labelLength) };
}

function readEvents(v: unknown): MonitorEvent[] {
  return arr(v, LIMITS.maxEvents).map(readEvent);
}

function readVerdict(v: unknown): GrowthVerdict {
  const o = record(v);
  const verdict: GrowthVerdict = {
    class: oneOf(o.class, GROWTH_CLASSES),
    confidence: num(o.confidence, 0, 1),
    slopeBytesPerS: signedBytes(o.slopeBytesPerS),
    slopeUncertaintyBytesPerS: bytes(o.slopeUncertaintyBytesPerS),
    regimeStartMs: epochMs(o.regimeStartMs),
    explanation: str(o.explanation, LIMITS.textLength),
  };
  const plateau = optional(o.plateauBytes, bytes);
  if (plateau !== undefined) verdict.plateauBytes = plateau;
  return verdict;
}

function readLimits(v: unknown): MonitorLimits {
  const o = record(v);
  const limits: MonitorLimits = {};
  const memoryBytes = optional(o.memoryBytes, (x) => num(x, 1, MAX_BYTES));
  const durationMs = optional(o.durationMs, (x) => num(x, 1, MAX_EPOCH_MS));
  const memoryLabel = optional(o.memoryLabel, (x) => str(x, LIMITS.limitLabelLength, 1));
  const memoryDescription = optional(o.memoryDescription, (x) => str(x, LIMITS.textLength, 1));
  // A name without the line it names would label nothing, or the wrong line.
  if (memoryBytes === undefined && (memoryLabel !== undefined || memoryDescription !== undefined)) fail('limit name without a limit');
  if (memoryBytes !== undefined) limits.memoryBytes = memoryBytes;
  if (memoryLabel !== undefined) limits.memoryLabel = memoryLabel;
  if (memoryDescription !== undefined) limits.memoryDescription = memoryDescription;
  if (durationMs !== undefined) limits.durationMs = durationMs;
  return limits;
}

function readIntervalMs(v: unknown): number {
  return int(v, SETTING_INTERVAL_MS.min, SETTING_INTERVAL_MS.max);
}

export function readMonitor(v: unknown): MonitorDescriptor {
  const o = record(v);
  const monitor: MonitorDescriptor = {
    id: str(o.id, LIMITS.idLength, 1),
    kind: oneOf(o.kind, ['live', 'trace'] as const),
    title: str(o.title, LIMITS.labelLength),
    command: str(o.command, LIMITS.textLength),
    state: oneOf(o.state, MONITOR_STATES),
    startedMs: epochMs(o.startedMs),
    limits: readLimits(o.limits),
    intervalMs: readIntervalMs(o.intervalMs),
    warnAtFraction: num(o.warnAtFraction, 0, 1),
  };
  const pid = optional(o.pid, (x) => int(x, 0, 2 ** 31));
  const summary = optional(o.summary, (x) => str(x, LIMITS.textLength));
  if (pid !== undefined) monitor.pid = pid;
  if (summary !== undefined) monitor.summary = summary;
  return monitor;
}

function readSite(v: unknown): AllocationSite {
  const o = record(v);
  return {
    file: str(o.file, LIMITS.pathLength),
    line: int(o.line, 0, LIMITS.maxLine),
    function: str(o.function, LIMITS.functionLength),
    bytes: signedBytes(o.bytes),
    count: int(o.count, -MAX_BYTES, MAX_BYTES),
  };
}

function readProbe(v: unknown): ProbeReport {
  const o = record(v);
  const probe: ProbeReport = {
    status: oneOf(o.status, ['running', 'done', 'failed'] as const),
    sites: arr(o.sites, LIMITS.maxSites).map(readSite),
    notes: arr(o.notes, LIMITS.maxNotes).map((x) => str(x, LIMITS.textLength)),
  };
  const startedMs = optional(o.startedMs, epochMs);
  if (startedMs !== undefined) probe.startedMs = startedMs;
  return probe;
}

function readComparison(v: unknown): ComparisonTrace {
  const o = record(v);
  return { label: str(o.label, LIMITS.labelLength), samples: readSampleColumns(o.samples), events: readEvents(o.events) };
}

/** A curve of a family member or its total: time-ordered, the same length, sizes in bytes. */
function readCurve(v: unknown): { t: number[]; rss: number[] } {
  const o = record(v);
  const t = timeColumn(o.t);
  if (t.length > LIMITS.maxFamilyPoints) fail('too many points');
  return { t, rss: column(o.rss, t.length, BYTES) };
}

function readFamilyMember(v: unknown): FamilyMemberView {
  const o = record(v);
  return {
    label: str(o.label, LIMITS.labelLength),
    pid: int(o.pid, 1, 2 ** 31),
    live: bool(o.live),
    leaking: bool(o.leaking),
    verdict: str(o.verdict, LIMITS.labelLength),
    ...readCurve(o),
  };
}

function readFamily(v: unknown): FamilyView {
  const o = record(v);
  return {
    summary: str(o.summary, LIMITS.textLength),
    leaking: bool(o.leaking),
    members: arr(o.members, LIMITS.maxFamilyMembers).map(readFamilyMember),
    total: readCurve(o.total),
  };
}

function readDecompositionColumns(v: unknown): DecompositionColumns {
  const o = record(v);
  const t = timeColumn(o.t);
  const columns = { t } as DecompositionColumns;
  for (const part of DECOMPOSITION_PARTS) columns[part] = column(o[part], t.length, BYTES);
  return columns;
}

function readEvidence(v: unknown): Record<string, number> {
  const entries = Object.entries(record(v));
  if (entries.length > LIMITS.maxEvidence) fail('too much evidence');
  const evidence: Record<string, number> = {};
  for (const [key, value] of entries) {
    // snake_case names only: nothing like __proto__ becomes a key.
    if (!/^[a-z][a-z0-9_]*$/.test(str(key, LIMITS.evidenceKeyLength, 1))) fail('bad evidence name');
    evidence[key] = num(value, -MAX_BYTES, MAX_BYTES);
  }
  return evidence;
}

function readDiagnosis(v: unknown): Diagnosis {
  const o = record(v);
  return { kind: oneOf(o.kind, DIAGNOSIS_KINDS), summary: str(o.summary, LIMITS.textLength), evidence: readEvidence(o.evidence), fix: str(o.fix, LIMITS.textLength) };
}

function readDecomposition(v: unknown): DecompositionUpdate {
  const o = record(v);
  return { readings: readDecompositionColumns(o.readings), diagnosis: nullable(o.diagnosis, readDiagnosis) };
}

function readInit(o: Record<string, unknown>): InitMessage {
  const decomposition = optional(o.decomposition, readDecomposition);
  return {
    type: 'init',
    monitor: readMonitor(o.monitor),
    samples: readSampleColumns(o.samples),
    events: readEvents(o.events),
    verdict: nullable(o.verdict, readVerdict),
    probe: nullable(o.probe, readProbe),
    comparison: nullable(o.comparison, readComparison),
    ...(decomposition ? { decomposition } : {}),
  };
}

function readToWebview(v: unknown): ToWebviewMessage {
  const o = record(v);
  const type = oneOf(o.type, TO_WEBVIEW_TYPES);
  switch (type) {
    case 'init':
      return readInit(o);
    case 'samples':
      return { type, samples: readSampleColumns(o.samples) };
    case 'verdict':
      return { type, verdict: nullable(o.verdict, readVerdict) };
    case 'state': {
      const summary = optional(o.summary, (x) => str(x, LIMITS.textLength));
      return { type, state: oneOf(o.state, MONITOR_STATES), ...(summary !== undefined ? { summary } : {}) };
    }
    case 'monitor':
      return { type, monitor: readMonitor(o.monitor) };
    case 'event':
      return { type, event: readEvent(o.event) };
    case 'probe':
      return { type, probe: readProbe(o.probe) };
    case 'comparison':
      return { type, comparison: nullable(o.comparison, readComparison) };
    case 'family':
      return { type, family: nullable(o.family, readFamily) };
    case 'error':
      return { type, text: str(o.text, LIMITS.textLength) };
    case 'decomposition':
      return { type, decomposition: readDecomposition(o.decomposition) };
    default:
      return assertNever(type);
  }
}

const TO_WEBVIEW_TYPES = ['init', 'samples', 'verdict', 'state', 'monitor', 'event', 'probe', 'comparison', 'family', 'error', 'decomposition'] as const;

function readFromWebview(v: unknown): FromWebviewMessage {
  const o = record(v);
  const type = oneOf(o.type, FROM_WEBVIEW_TYPES);
  switch (type) {
    case 'setInterval':
      return { type, ms: readIntervalMs(o.ms) };
    case 'exportTrace':
      return { type, format: oneOf(o.format, TRACE_FORMATS) };
    case 'openLocation':
      return { type, file: readPath(o.file), line: int(o.line, 1, LIMITS.maxLine) };
    default:
      return { type };
  }
}

const FROM_WEBVIEW_TYPES = [...SIMPLE_ACTIONS, 'setInterval', 'exportTrace', 'openLocation'] as const;

/** A source path from the probe table: opened by the host, so no NUL and not empty. */
function readPath(v: unknown): string {
  const path = str(v, LIMITS.pathLength, 1);
  if (path.includes('\0')) fail('NUL in path');
  return path;
}

function readUiState(v: unknown): PanelUiState {
  const o = record(v);
  return {
    followLive: bool(o.followLive),
    hiddenSeries: arr(o.hiddenSeries, 20).map((x) => str(x, 40)),
  };
}

function readPanelState(v: unknown): PanelState {
  const o = record(v);
  return {
    version: int(o.version, 0, 1e6),
    monitor: readMonitor(o.monitor),
    samples: readSampleColumns(o.samples),
    events: readEvents(o.events),
    verdict: nullable(o.verdict, readVerdict),
    ui: readUiState(o.ui),
  };
}

/** Runs a reader and turns any failure (ours or a hostile getter's) into undefined. */
function attempt<T>(read: (v: unknown) => T, raw: unknown): T | undefined {
  try {
    return read(raw);
  } catch {
    return undefined;
  }
}

/** A message the host received from the webview, or undefined if it is not exactly one. */
export function parseFromWebview(raw: unknown): FromWebviewMessage | undefined {
  return attempt(readFromWebview, raw);
}

/** A message the webview received from the host, or undefined if it is not exactly one. */
export function parseToWebview(raw: unknown): ToWebviewMessage | undefined {
  return attempt(readToWebview, raw);
}

/** The webview's saved state (from getState or the serializer), or undefined if unusable. */
export function parsePanelState(raw: unknown): PanelState | undefined {
  const state = attempt(readPanelState, raw);
  return state && state.version === PROTOCOL_VERSION ? state : undefined;
}

/** A short, safe description of a rejected message for a log line. */
export function describeRejected(raw: unknown): string {
  const type = typeof raw === 'object' && raw !== null && 'type' in raw ? (raw as { type: unknown }).type : undefined;
  return typeof type === 'string' ? `"${type.slice(0, 40)}"` : `(${raw === null ? 'null' : typeof raw})`;
}

export function assertNever(value: never): never {
  throw new Error(`unhandled: ${String(value)}`);
}
