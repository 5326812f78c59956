// What a monitor asks of a sampler, whatever the platform.
import { Disposable } from '../events';
import { MemorySample } from '../model';

export interface SampleRequest {
  /** Walk the child-process tree and sum its RSS now (else the last sum is carried forward). */
  children?: boolean;
  /** Count the open fds now (else the last count is carried forward; the first reading counts). */
  fds?: boolean;
  /** Also take the costly readings (USS/PSS from smaps_rollup). */
  detail?: boolean;
}

export interface DetailReading {
  ussBytes: number;
  pssBytes: number;
}

export interface ProcessSampler extends Disposable {
  readonly pid: number;
  /** True once disposed or after the process was found gone: every fd is closed by then. */
  readonly closed: boolean;
  /** Times the process exec'd a new program since attach, where the platform can tell. */
  readonly execCount?: number;
  /**
   * One reading. Rejects with ProcessGoneError (exited, or pid reused) or PermissionDeniedError;
   * after either the sampler has closed itself.
   */
  sample(request?: SampleRequest): Promise<MemorySample>;
  /** The same reading without a promise, where the platform allows it (detail is async only). */
  sampleSync?(request?: Omit<SampleRequest, 'detail'>): MemorySample;
  /** USS and PSS on demand; undefined where the platform cannot tell. */
  readDetail(): Promise<DetailReading | undefined>;
  /** Told when the monitor's cadence changes (pidusage sizes its history by it). */
  setIntervalMs?(ms: number): void;
}
