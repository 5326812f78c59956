// A Leakscope JSON document ({"format":"leakscope-trace","samples":{"t_ms":[…],…},…}) read from a
// byte source without its whole text or one object a sample: the sample columns go straight into
// Float64Arrays (~8 bytes a value where JSON.parse's arrays of numbers cost ~235 bytes a sample).
// Only a document the whole-text reader (parseJsonDocument) accepts as it is is read here. Anything
// else (a syntax error, a schema error, a duplicate key, a very deep or very long value) makes this
// reader give up, and the caller reads the file whole, which then refuses it with the whole-text
// reader's own message (line and words), or reads the odd-but-valid file. Giving up is always
// correct; accepting must give exactly what the whole-text reader gives (fuzzed in panelRead.test).
import { StringDecoder } from 'node:string_decoder';
import { MonitorEvent, MonitorEventKind } from '../model';
import { OPTIONAL_COLUMNS } from './columns';
import { TRACE_JSON_FORMAT, TRACE_JSON_VERSION } from './format';
import { MAX_DATE_MS, MAX_TRACE_SAMPLES } from './parseError';
import { ByteSource, CHUNK_BYTES } from './byteSource';

/** What a plainly valid document holds: its columns (NaN where the file has null), all of one length. */
export interface JsonDocumentColumns {
  length: number;
  tMs: Float64Array;
  rssBytes: Float64Array;
  /** Optional columns present in the file, by their file name (threads, uss_bytes…). */
  optional: Map<string, Float64Array>;
  events: MonitorEvent[];
  pid?: number;
  command?: string;
}

/** Thrown inside the reader to give up; never leaves this file. */
class GiveUp extends Error {}

const EVENT_KINDS: ReadonlySet<string> = new Set<MonitorEventKind>([
  'attach', 'limit-warning', 'limit-reached', 'fix-applied', 'gc', 'malloc-trim', 'probe', 'exec', 'exit', 'note',
]);

/** The longest single token (a string, a number) read here. */
const MAX_TOKEN_CHARS = 1 << 20;
/** Nesting read into values (event objects, scalars); deeper gives up (the whole-text reader copes). */
const MAX_VALUE_DEPTH = 64;

/** JSON's number grammar, sticky: the longest number at lastIndex. */
const JSON_NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

const QUOTE = 34;
const BACKSLASH = 92;

/** The document's columns, or undefined when it is not plainly valid (then read it whole). */
export function streamJsonDocument(source: ByteSource): JsonDocumentColumns | undefined {
  try {
    return new DocumentReader(new JsonScanner(source)).read();
  } catch (error) {
    if (error instanceof GiveUp) return undefined;
    throw error;
  }
}

function giveUp(): never {
  throw new GiveUp();
}

/** Characters of a byte source, decoded as UTF-8 chunk by chunk, with JSON's tokens. */
class JsonScanner {
  private readonly decoder = new StringDecoder('utf8');
  private text = '';
  private pos = 0;
  private offset = 0;
  private ended = false;

  constructor(private readonly source: ByteSource) {}

  /** The next character's code (refilling as needed), or -1 at the end. */
  peek(): number {
    if (this.pos < this.text.length) return this.text.charCodeAt(this.pos);
    return this.fill(this.pos) ? this.text.charCodeAt(this.pos) : -1;
  }

  /**
   * Appends the next chunk, dropping the text before `keepFrom` (the start of the token being
   * read); false at the end of the source. Positions before `keepFrom` are no longer valid.
   */
  private fill(keepFrom: number): boolean {
    for (;;) {
      if (this.ended) return false;
      const left = this.source.size - this.offset;
      const chunk = left > 0 ? this.source.read(this.offset, Math.min(CHUNK_BYTES, left)) : new Uint8Array(0);
      let decoded: string;
      if (chunk.length === 0) {
        this.ended = true;
        decoded = this.decoder.end();
      } else {
        this.offset += chunk.length;
        decoded = this.decoder.write(chunk);
      }
      if (this.text.length - keepFrom > MAX_TOKEN_CHARS) giveUp();
      this.text = this.text.slice(keepFrom) + decoded;
      this.pos -= keepFrom;
      if (decoded.length > 0) return true;
    }
  }

  /** Skips JSON whitespace (space, tab, line feed, carriage return: not the others String.trim knows). */
  skipSpace(): void {
    for (let c = this.peek(); c === 32 || c === 9 || c === 10 || c === 13; c = this.peek()) this.pos++;
  }

  /** The next non-space character, consumed if it is `code`; gives up otherwise. */
  expect(code: number): void {
    this.skipSpace();
    if (this.peek() !== code) giveUp();
    this.pos++;
  }

  /** Consumes `code` if it comes next (after space). */
  accept(code: number): boolean {
    this.skipSpace();
    if (this.peek() !== code) return false;
    this.pos++;
    return true;
  }

  /** A string token, decoded as JSON.parse decodes it. */
  string(): string {
    this.expect(QUOTE);
    const parts: string[] = [];
    let size = 0;
    for (;;) {
      const start = this.pos;
      let c = -1;
      while (this.pos < this.text.length) {
        c = this.text.charCodeAt(this.pos);
        if (c === QUOTE || c === BACKSLASH || c < 0x20) break;
        this.pos++;
      }
      parts.push(this.text.slice(start, this.pos));
      size += this.pos - start;
      if (size > MAX_TOKEN_CHARS) giveUp();
      if (this.pos >= this.text.length) {
        if (!this.fill(this.pos)) giveUp();
        continue;
      }
      this.pos++;
      if (c === QUOTE) return parts.join('');
      if (c < 0x20) giveUp();
      parts.push(this.escape());
    }
  }

  /** After a backslash: the character it stands for. */
  private escape(): string {
    const c = this.peek();
    this.pos++;
    switch (c) {
      case QUOTE: return '"';
      case BACKSLASH: return '\\';
      case 47: return '/';
      case 98: return '\b';
      case 102: return '\f';
      case 110: return '\n';
      case 114: return '\r';
      case 116: return '\t';
      case 117: {
        let code = 0;
        for (let i = 0; i < 4; i++) {
          const digit = hexValue(this.peek());
          if (digit < 0) giveUp();
          this.pos++;
          code = code * 16 + digit;
        }
        return String.fromCharCode(code);
      }
      default: return giveUp();
    }
  }

  /** A number token (JSON's grammar, no more), or NaN for null. */
  numberOrNull(): number {
    this.skipSpace();
    if (this.peek() === 110) {
      this.literal('null');
      return NaN;
    }
    return this.number();
  }

  number(): number {
    this.skipSpace();
    // Fast path: the whole token in the text read so far, followed by a character no number has
    // (a token cut by the end of a read, "1." or "2e", ends there or at such a character).
    JSON_NUMBER.lastIndex = this.pos;
    if (JSON_NUMBER.test(this.text) && JSON_NUMBER.lastIndex < this.text.length && !isNumberChar(this.text.charCodeAt(JSON_NUMBER.lastIndex))) {
      const value = Number(this.text.slice(this.pos, JSON_NUMBER.lastIndex));
      this.pos = JSON_NUMBER.lastIndex;
      return value;
    }
    // The token starts at pos, which stays there (fill() keeps the text from it) until it is read.
    let k = 0;
    if (this.tokenChar(k) === 45) k++;
    const first = this.tokenChar(k);
    if (first === 48) k++;
    else if (isDigit(first)) k = this.tokenDigits(k + 1);
    else giveUp();
    if (this.tokenChar(k) === 46) {
      if (!isDigit(this.tokenChar(k + 1))) giveUp();
      k = this.tokenDigits(k + 2);
    }
    const e = this.tokenChar(k);
    if (e === 101 || e === 69) {
      k++;
      const sign = this.tokenChar(k);
      if (sign === 43 || sign === 45) k++;
      if (!isDigit(this.tokenChar(k))) giveUp();
      k = this.tokenDigits(k + 1);
    }
    const value = Number(this.text.slice(this.pos, this.pos + k));
    this.pos += k;
    return value;
  }

  /** The character `k` after pos (the token's start), or -1 past the end. */
  private tokenChar(k: number): number {
    while (this.pos + k >= this.text.length) if (!this.fill(this.pos)) return -1;
    return this.text.charCodeAt(this.pos + k);
  }

  private tokenDigits(from: number): number {
    let k = from;
    while (isDigit(this.tokenChar(k))) k++;
    return k;
  }

  literal(word: 'null' | 'true' | 'false'): void {
    this.skipSpace();
    for (let i = 0; i < word.length; i++) {
      if (this.peek() !== word.charCodeAt(i)) giveUp();
      this.pos++;
    }
  }

  /** Nothing but space is left. */
  atEnd(): boolean {
    this.skipSpace();
    return this.peek() === -1;
  }

  /** Skips a byte-order mark at the start (the whole-text reader drops it before parsing). */
  skipBom(): void {
    if (this.peek() === 0xfeff) this.pos++;
  }

  /** A whole value, built (small values: scalars, events), no deeper than MAX_VALUE_DEPTH. */
  value(depth = 0): unknown {
    if (depth > MAX_VALUE_DEPTH) giveUp();
    this.skipSpace();
    const c = this.peek();
    if (c === QUOTE) return this.string();
    if (c === 123) return this.object(depth);
    if (c === 91) return this.array(depth);
    if (c === 116 || c === 102 || c === 110) return this.keyword(c);
    return this.number();
  }

  private keyword(first: number): boolean | null {
    if (first === 116) this.literal('true');
    else if (first === 102) this.literal('false');
    else this.literal('null');
    return first === 116 ? true : first === 102 ? false : null;
  }

  private object(depth: number): Record<string, unknown> {
    this.expect(123);
    const result: Record<string, unknown> = {};
    if (this.accept(125)) return result;
    do {
      const key = this.string();
      // A repeated key (JSON.parse keeps the last) or __proto__ (an own property there): read whole.
      if (Object.prototype.hasOwnProperty.call(result, key) || key === '__proto__') giveUp();
      this.expect(58);
      result[key] = this.value(depth + 1);
    } while (this.accept(44));
    this.expect(125);
    return result;
  }

  private array(depth: number): unknown[] {
    this.expect(91);
    const result: unknown[] = [];
    if (this.accept(93)) return result;
    do result.push(this.value(depth + 1));
    while (this.accept(44));
    this.expect(93);
    return result;
  }

  /** Skips a whole value of any size and depth, checking its syntax, building nothing. */
  skipValue(): void {
    // Open containers, innermost last: 123 for an object, 91 for an array.
    const open: number[] = [];
    for (;;) {
      this.skipSpace();
      const c = this.peek();
      if (c === 123 || c === 91) {
        this.pos++;
        if (this.accept(c === 123 ? 125 : 93)) {
          if (this.afterValue(open)) return;
          continue;
        }
        open.push(c);
        if (c === 123) this.key();
        continue;
      }
      if (c === QUOTE) this.string();
      else if (c === 116) this.literal('true');
      else if (c === 102) this.literal('false');
      else if (c === 110) this.literal('null');
      else this.number();
      if (this.afterValue(open)) return;
    }
  }

  private key(): void {
    this.string();
    this.expect(58);
  }

  /** After a value inside `open`: a comma (and the next key) or the closings; true once none is open. */
  private afterValue(open: number[]): boolean {
    for (;;) {
      if (open.length === 0) return true;
      const inner = open[open.length - 1];
      if (this.accept(44)) {
        if (inner === 123) this.key();
        return false;
      }
      this.expect(inner === 123 ? 125 : 93);
      open.pop();
    }
  }
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** A character that can be part of a JSON number: digits, '.', 'e', 'E', '+', '-'. */
function isNumberChar(c: number): boolean {
  return isDigit(c) || c === 46 || c === 101 || c === 69 || c === 43 || c === 45;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/** A Float64Array that grows by doubling, for a column of unknown length. */
class GrowingColumn {
  values = new Float64Array(1024);
  length = 0;

  push(value: number): void {
    if (this.length === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = value;
  }

  finish(): Float64Array {
    return this.values.slice(0, this.length);
  }
}

const SAMPLE_COLUMNS: ReadonlySet<string> = new Set(['t_ms', 'rss_bytes', ...Object.keys(OPTIONAL_COLUMNS)]);

/** The document's top level: what it holds, checked as parseJsonDocument checks it. */
class DocumentReader {
  private readonly scalars = new Map<string, unknown>();
  private columns: Map<string, Float64Array> | undefined;

  constructor(private readonly scanner: JsonScanner) {}

  read(): JsonDocumentColumns {
    const s = this.scanner;
    s.skipBom();
    s.expect(123);
    const seen = new Set<string>();
    if (!s.accept(125)) {
      do {
        const key = s.string();
        if (seen.has(key)) giveUp();
        seen.add(key);
        s.expect(58);
        this.member(key);
      } while (s.accept(44));
      s.expect(125);
    }
    if (!s.atEnd()) giveUp();
    return this.checked();
  }

  private member(key: string): void {
    const s = this.scanner;
    if (key === 'samples') this.columns = this.sampleColumns();
    else if (key === 'format' || key === 'version' || key === 'pid' || key === 'command' || key === 'events') this.scalars.set(key, s.value());
    else s.skipValue();
  }

  private sampleColumns(): Map<string, Float64Array> {
    const s = this.scanner;
    const columns = new Map<string, Float64Array>();
    const seen = new Set<string>();
    s.expect(123);
    if (s.accept(125)) return columns;
    do {
      const key = s.string();
      if (seen.has(key)) giveUp();
      seen.add(key);
      s.expect(58);
      if (SAMPLE_COLUMNS.has(key)) columns.set(key, this.numberArray());
      else s.skipValue();
    } while (s.accept(44));
    s.expect(125);
    return columns;
  }

  /** An array of numbers and nulls (NaN for null); anything else gives up. */
  private numberArray(): Float64Array {
    const s = this.scanner;
    const column = new GrowingColumn();
    s.expect(91);
    if (s.accept(93)) return column.finish();
    do {
      const value = s.numberOrNull();
      // 1e400 is Infinity, which the whole-text reader refuses (NaN, the null here, is let through).
      if (value === Infinity || value === -Infinity) giveUp();
      column.push(value);
      if (column.length > MAX_TRACE_SAMPLES) giveUp();
    } while (s.accept(44));
    s.expect(93);
    return column.finish();
  }

  /** Everything parseJsonDocument checks, with nothing to say: any problem gives up. */
  private checked(): JsonDocumentColumns {
    const { scalars, columns } = this;
    const version = scalars.get('version');
    if (scalars.get('format') !== TRACE_JSON_FORMAT || typeof version !== 'number' || version > TRACE_JSON_VERSION || !columns) giveUp();
    const tMs = columns.get('t_ms');
    const rssBytes = columns.get('rss_bytes');
    if (!tMs || !rssBytes || tMs.length !== rssBytes.length || tMs.length === 0) giveUp();
    const optional = new Map<string, Float64Array>();
    for (const [name, values] of columns) {
      if (name === 't_ms' || name === 'rss_bytes') continue;
      if (values.length !== tMs.length) giveUp();
      optional.set(name, values);
    }
    for (let i = 0; i < tMs.length; i++) {
      const t = tMs[i];
      const rss = rssBytes[i];
      // NaN is null here: a t_ms or rss_bytes of null is refused, as is a time that is no date.
      if (!(Math.abs(t) <= MAX_DATE_MS) || Number.isNaN(rss) || rss < 0) giveUp();
    }
    const doc: JsonDocumentColumns = { length: tMs.length, tMs, rssBytes, optional, events: events(scalars.get('events')) };
    const pid = scalars.get('pid');
    const command = scalars.get('command');
    if (typeof pid === 'number') doc.pid = pid;
    if (typeof command === 'string') doc.command = command;
    return doc;
  }
}

/** The events as parseJsonDocument reads them (in time order, stable), or give up where it refuses. */
function events(value: unknown): MonitorEvent[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) giveUp();
  return value.map((e: unknown): MonitorEvent => {
    if (typeof e !== 'object' || e === null || Array.isArray(e)) giveUp();
    const o = e as Record<string, unknown>;
    if (typeof o.t_ms !== 'number' || !Number.isFinite(o.t_ms) || Math.abs(o.t_ms) > MAX_DATE_MS) giveUp();
    const kind = typeof o.kind === 'string' && EVENT_KINDS.has(o.kind) ? (o.kind as MonitorEventKind) : 'note';
    return { tMs: o.t_ms, kind, label: typeof o.label === 'string' ? o.label : typeof o.kind === 'string' ? o.kind : '' };
  }).sort((a, b) => a.tMs - b.tMs);
}
