// What RSS is made of, why it grows, and the limit that really applies (VS Code–free).
export * from './procMemory';
export * from './cgroups';
export * from './applicableLimit';
export * from './machineLimitFacts';
export * from './pythonMemory';
export * from './nodeMemory';
export * from './diagnose';
export * from './doctor';
export * from './explain';
export * from './decompositionSampler';
