// Process discovery: listing Python and Node processes, reading one, resolving wrappers.
export { PermissionDeniedError, ProcessGoneError, mapProcError } from './errors';
export type { GoneReason } from './errors';
export { canListProcesses, descendants, listProcesses, readProcessInfo, resolveInterpreter, shortCommand } from './processes';
export type { ListOptions, ListedProcess } from './processes';
export { guessRuntime, isWrapper } from './runtime';
export { isRerunOf, processStartMs, waitForRerun } from './rerun';
export type { WaitForRerunOptions } from './rerun';
