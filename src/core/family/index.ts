// Process families: a root process and its Python and Node workers, each classified on its own.
export { FamilyMember, ProcessFamily } from './processFamily';
export type { FamilyBatch, FamilyOptions, MemberVerdict } from './processFamily';
export { familySummary, isNamedLeak, memberLabel, memberName, verdictPhrase } from './summary';
export type { MemberStatus } from './summary';
export { familyView } from './view';
export { workerCounts } from './workers';
