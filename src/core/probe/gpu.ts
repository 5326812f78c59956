// GPU memory of a process, from nvidia-smi when it is installed (undefined otherwise).
import { findExecutable, runProgram } from './util';

/**
 * Parses `nvidia-smi --query-compute-apps=pid,used_memory --format=csv,noheader,nounits`:
 * one "pid, MiB" line per process and GPU; a process on several GPUs is summed. Values that
 * are not numbers ("[N/A]", "[Not Supported]") are skipped.
 */
export function parseComputeApps(text: string): Map<number, number> {
  const bytesByPid = new Map<number, number>();
  for (const line of text.split('\n')) {
    const [pidText, mibText] = line.split(',').map((s) => s.trim());
    const pid = Number(pidText);
    const mib = Number(mibText);
    if (!pidText || !mibText || !Number.isInteger(pid) || !Number.isFinite(mib)) continue;
    bytesByPid.set(pid, (bytesByPid.get(pid) ?? 0) + mib * 1024 * 1024);
  }
  return bytesByPid;
}

export interface GpuQueryOptions {
  /** Path of nvidia-smi; default: found on PATH. */
  nvidiaSmi?: string;
  timeoutMs?: number;
  /** Aborting kills a running nvidia-smi; the answer is then undefined. */
  signal?: AbortSignal;
}

/** Bytes of GPU memory the process uses; undefined without nvidia-smi or when it fails. */
export async function gpuMemoryForPid(pid: number, options: GpuQueryOptions = {}): Promise<number | undefined> {
  const smi = options.nvidiaSmi ?? findExecutable('nvidia-smi');
  if (!smi) return undefined;
  const run = await runProgram(smi, ['--query-compute-apps=pid,used_memory', '--format=csv,noheader,nounits'], { timeoutMs: options.timeoutMs ?? 5000, signal: options.signal }).catch(() => undefined);
  if (!run || run.code !== 0) return undefined;
  return parseComputeApps(run.stdout).get(pid) ?? 0;
}
