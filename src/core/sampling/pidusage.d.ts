// Types for pidusage 4 (it ships none): only what the off-Linux fallback uses.
declare module 'pidusage' {
  interface PidusageStat {
    /** Percent of one core since the previous call. */
    cpu: number;
    /** RSS in bytes. */
    memory: number;
    ppid: number;
    pid: number;
    /** CPU time, ms. */
    ctime: number;
    /** Since the process started, ms. */
    elapsed: number;
    /** When measured, epoch ms. */
    timestamp: number;
  }
  interface PidusageOptions {
    /** Use `ps` (not procfile, which keeps an fd per pid that `clear()` never closes). */
    usePs?: boolean;
    /** How long per-pid history (and, with procfile, its fd) is kept, ms. 0 loops to EMFILE. */
    maxage?: number;
  }
  function pidusage(pid: number, options?: PidusageOptions): Promise<PidusageStat>;
  namespace pidusage {
    function clear(): void;
  }
  export = pidusage;
}
