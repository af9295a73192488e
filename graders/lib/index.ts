// The grading library's public surface, for graders, runners (CLI, browser worker, batch) and tests.
export * from './compare';
export * from './define';
export * from './diagnose';
export * from './evaluate';
export * from './host';
export * from './meta';
export * from './plain';
export * from './result';
export * from './run';
export * from './version';
export { withAllocProbe, type AllocReport } from './alloc-probe';
export * from './cases';
export * from './spec';
export * from './call-code';
export * from './memo';
