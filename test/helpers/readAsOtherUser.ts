// Run as another user (`setpriv --reuid=65534 ... node out/test/helpers/readAsOtherUser.js PID`)
// to see what Leakscope's readers do with a process they may not fully read. Prints one JSON line.
import { readdirSync } from 'node:fs';
import { mapProcError } from '../../src/core/discovery/errors';
import { listProcesses, readProcessInfo } from '../../src/core/discovery/processes';
import { ProcfsSampler } from '../../src/core/sampling/procfsSampler';

function describe(error: unknown): { name: string; message: string; code?: string } {
  if (!(error instanceof Error)) return { name: 'unknown', message: String(error) };
  const code = (error as { code?: unknown }).code;
  return { name: error.name, message: error.message, ...(typeof code === 'string' ? { code } : {}) };
}

async function attempt<T>(fn: () => Promise<T> | T): Promise<{ value?: T; error?: ReturnType<typeof describe> }> {
  try {
    return { value: await fn() };
  } catch (error) {
    return { error: describe(error) };
  }
}

export async function readAsOtherUser(pid: number): Promise<Record<string, unknown>> {
  const rawFd = await attempt(() => readdirSync(`/proc/${pid}/fd`));
  const mappedFdError = rawFd.error ? describe(mapProcError(Object.assign(new Error(rawFd.error.message), { code: rawFd.error.code }), pid, 'open files')) : undefined;
  const sampler = ProcfsSampler.open(pid);
  const sample = await sampler.sample({ detail: true });
  const detail = await attempt(() => sampler.readDetail());
  sampler.dispose();
  const info = await readProcessInfo(pid);
  const listed = (await listProcesses()).find((p) => p.pid === pid);
  return {
    uid: process.getuid?.(),
    rawFdError: rawFd.error,
    mappedFdError,
    sample: { fds: sample.fds, rssBytes: sample.rssBytes, threads: sample.threads, ussBytes: sample.ussBytes ?? null },
    detailError: detail.error,
    info: { exe: info.exe, runtime: info.runtime, interpreter: info.interpreter, user: info.user },
    listedRuntime: listed?.runtime ?? null,
  };
}

if (require.main === module) {
  readAsOtherUser(Number(process.argv[2])).then(
    (result) => process.stdout.write(JSON.stringify(result) + '\n'),
    (error: unknown) => {
      process.stdout.write(JSON.stringify({ fatal: describe(error) }) + '\n');
      process.exitCode = 1;
    },
  );
}
