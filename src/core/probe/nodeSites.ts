// Ranks the allocation sites of a V8 sampling heap profile (HeapProfiler.stopSampling): bytes
// still alive at the end of the window, attributed to the nearest frame of user code.
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { guessAllocatingStatement } from './sourceStatement';
import { ProbeSite } from './types';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface ProfileNode {
  callFrame: CallFrame;
  selfSize: number;
  id: number;
  children: ProfileNode[];
}

export interface SamplingProfile {
  head: ProfileNode;
  samples: { size: number; nodeId: number }[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function toNode(value: unknown): ProfileNode {
  if (!isRecord(value) || !isRecord(value.callFrame)) throw new Error('sampling profile: malformed node');
  const frame = value.callFrame;
  return {
    callFrame: {
      functionName: String(frame.functionName ?? ''),
      url: String(frame.url ?? ''),
      lineNumber: Number(frame.lineNumber ?? -1),
      columnNumber: Number(frame.columnNumber ?? -1),
    },
    selfSize: Number(value.selfSize ?? 0),
    id: Number(value.id ?? -1),
    children: Array.isArray(value.children) ? value.children.map(toNode) : [],
  };
}

/** Narrows the `profile` of a HeapProfiler.stopSampling answer. */
export function parseSamplingProfile(value: unknown): SamplingProfile {
  const profile = isRecord(value) && isRecord(value.profile) ? value.profile : value;
  if (!isRecord(profile)) throw new Error('sampling profile: not an object');
  const samples = Array.isArray(profile.samples)
    ? profile.samples.filter(isRecord).map((s) => ({ size: Number(s.size ?? 0), nodeId: Number(s.nodeId ?? -1) }))
    : [];
  return { head: toNode(profile.head), samples };
}

/** Scripts of the program itself, as opposed to Node's own (node:…) and V8 builtins (no url). */
export function isUserUrl(url: string): boolean {
  return url !== '' && !url.startsWith('node:') && !url.startsWith('internal/') && !url.startsWith('evalmachine');
}

export function urlToPath(url: string): string {
  if (url.startsWith('file://')) {
    try {
      return fileURLToPath(url);
    } catch {
      return url;
    }
  }
  return url;
}

export interface RankOptions {
  maxSites?: number;
  /** Reads a source file for the statement guess; undefined skips the guess for that file. */
  readSource?: (path: string) => string | undefined;
}

/** Reads a local source file of at most 2 MB (larger ones are bundles: no useful guess). */
export function readLocalSource(path: string): string | undefined {
  try {
    if (!path.startsWith('/') || statSync(path).size > 2 * 1024 * 1024) return undefined;
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

export interface RankedSample {
  /** Most bytes first. */
  sites: ProbeSite[];
  /** Live sampled bytes in all. */
  totalBytes: number;
  /** Live bytes with no user frame on their stack (Node internals, native code). */
  unattributedBytes: number;
}

export function rankSamplingProfile(profile: SamplingProfile, options: RankOptions = {}): RankedSample {
  let totalBytes = 0;
  let unattributedBytes = 0;
  const samplesPerNode = new Map<number, number>();
  for (const s of profile.samples) samplesPerNode.set(s.nodeId, (samplesPerNode.get(s.nodeId) ?? 0) + 1);
  const sites = new Map<string, { frame: CallFrame; bytes: number; count: number }>();
  const visit = (node: ProfileNode, owner: CallFrame | undefined) => {
    const frame = isUserUrl(node.callFrame.url) ? node.callFrame : owner;
    totalBytes += node.selfSize;
    if (!frame) unattributedBytes += node.selfSize;
    else if (node.selfSize > 0) {
      const key = `${frame.url}\0${frame.lineNumber}\0${frame.columnNumber}\0${frame.functionName}`;
      const site = sites.get(key) ?? { frame, bytes: 0, count: 0 };
      site.bytes += node.selfSize;
      site.count += samplesPerNode.get(node.id) ?? 0;
      sites.set(key, site);
    }
    for (const child of node.children) visit(child, frame);
  };
  visit(profile.head, undefined);
  const ranked = [...sites.values()].sort((a, b) => b.bytes - a.bytes).slice(0, options.maxSites ?? 20);
  return {
    sites: ranked.map(({ frame, bytes, count }) => toSite(frame, bytes, count, options.readSource)),
    totalBytes,
    unattributedBytes,
  };
}

function toSite(frame: CallFrame, bytes: number, count: number, readSource?: (path: string) => string | undefined): ProbeSite {
  const file = urlToPath(frame.url);
  const site: ProbeSite = {
    file,
    line: frame.lineNumber + 1,
    function: frame.functionName || '(anonymous)',
    bytes,
    count,
    lineIsFunctionStart: true,
  };
  // Line 0, column 0 is the module's own top-level code: a guess there would pick any line.
  const isModuleCode = frame.lineNumber === 0 && frame.columnNumber === 0 && frame.functionName === '';
  const source = !isModuleCode && readSource ? readSource(file) : undefined;
  const statement = source === undefined ? undefined : guessAllocatingStatement(source, frame.lineNumber, Math.max(0, frame.columnNumber));
  if (statement) site.statement = statement;
  return site;
}
