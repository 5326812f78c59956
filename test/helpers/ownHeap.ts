// What a piece of code holds in the heap of the process it shares with others (the extension
// host runs every extension and VS Code's own API objects in one heap): V8's sampling heap
// profiler, started in this process through node:inspector, keeps the stack of each sampled
// allocation until the object dies, so a profile read after a full GC lists what is still alive of
// what was allocated since it started, by stack. The bytes whose stack has a frame of the code's
// own scripts are that code's: what it allocated, or had its callees allocate for it. What the
// host allocates on its own account (its tab model, for a message from the workbench) is not.
import { Session } from 'node:inspector';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** The inspector protocol's SamplingHeapProfileNode, as far as it is read here. */
interface ProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  /** V8's estimate of the live bytes allocated at exactly this stack (its samples, scaled). */
  selfSize: number;
  children: ProfileNode[];
}

export interface OwnHeapReading {
  /** Live bytes allocated with a frame of the own scripts on the stack (V8's sampled estimate). */
  ownBytes: number;
  /** Live bytes allocated since the sampler started, by anyone (the same estimate). */
  sampledBytes: number;
  /** Where the own bytes were allocated (the innermost own frame), the largest first. */
  sites: { site: string; bytes: number }[];
}

/** V8's gc extension (options since V8 ~11; older ones ignore them and run a full GC). */
type GcExtension = (options?: { type: 'major'; execution: 'sync'; flavor: 'regular' | 'last-resort' }) => void;

/** This process runs without --expose-gc (the extension host, `node --test`); V8 lets it turn it on. */
function gcExtension(): GcExtension {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as GcExtension;
}

export function fullGc(): () => void {
  const gc = gcExtension();
  return () => gc();
}

/**
 * A full GC that also gives back what V8 keeps committed but empty (the "last resort" collection
 * a heap near its limit gets: repeated mark-compacts that reduce the footprint, pooled pages
 * released). After it, RSS counts what is held, not the free pages V8's memory reducer would hand
 * back at the next idle time on its own. Measured with Node 24: 154 MB of heap pages around
 * 19 MB of live objects came down to 20 MB (RSS 157 → 75 MB); a plain gc() kept them.
 */
export function memoryReducingGc(): () => void {
  const gc = gcExtension();
  return () => gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
}

/** A script url as a file path (CommonJS modules are reported by path, ES modules by file: URL). */
function scriptPath(url: string): string {
  return url.startsWith('file:') ? fileURLToPath(url) : url;
}

function siteOf(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  return `${functionName || '(anonymous)'} (${scriptPath(url).split('/').pop()}:${lineNumber + 1})`;
}

/** Sums the profile's live bytes, attributing each stack to its innermost frame of an own script. */
export function attribute(head: ProfileNode, isOwnScript: (path: string) => boolean): OwnHeapReading {
  const bySite = new Map<string, number>();
  let sampledBytes = 0;
  const visit = (node: ProfileNode, site: string | undefined): void => {
    const here = isOwnScript(scriptPath(node.callFrame.url)) ? siteOf(node) : site;
    sampledBytes += node.selfSize;
    if (here !== undefined && node.selfSize > 0) bySite.set(here, (bySite.get(here) ?? 0) + node.selfSize);
    for (const child of node.children) visit(child, here);
  };
  visit(head, undefined);
  const sites = [...bySite].map(([site, bytes]) => ({ site, bytes })).sort((a, b) => b.bytes - a.bytes);
  return { ownBytes: sites.reduce((sum, s) => sum + s.bytes, 0), sampledBytes, sites };
}

/**
 * The live heap that the scripts `isOwnScript` accepts (by file path) allocated since `start`.
 * Read it after a full GC: the profile still counts dead objects that no GC has swept yet.
 */
export class OwnHeapSampler {
  private readonly session = new Session();

  private constructor(private readonly isOwnScript: (path: string) => boolean) {
    this.session.connect();
  }

  /**
   * `samplingIntervalBytes`: one allocation sampled every this many bytes on average; the error of
   * an estimate of B live bytes is about √(B × interval) (a Poisson count of samples).
   */
  static async start(isOwnScript: (path: string) => boolean, samplingIntervalBytes = 1024): Promise<OwnHeapSampler> {
    const sampler = new OwnHeapSampler(isOwnScript);
    await sampler.post('HeapProfiler.enable');
    await sampler.post('HeapProfiler.startSampling', { samplingInterval: samplingIntervalBytes });
    return sampler;
  }

  async read(): Promise<OwnHeapReading> {
    const { profile } = (await this.post('HeapProfiler.getSamplingProfile')) as { profile: { head: ProfileNode } };
    return attribute(profile.head, this.isOwnScript);
  }

  async stop(): Promise<void> {
    await this.post('HeapProfiler.stopSampling');
    await this.post('HeapProfiler.disable');
    this.session.disconnect();
  }

  private post(method: string, params: object = {}): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.session.post(method, params, (error, result) => (error ? reject(error) : resolve(result)));
    });
  }
}
