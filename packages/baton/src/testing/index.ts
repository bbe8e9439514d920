// baton/testing: an in-memory engine on a controlled clock, assertions that read like the process, and
// job helpers that stand in for workers. See docs/testing.md.
export { createTestEngine, TestEngine } from './test-engine.js';
export type { TestEngineOptions, TestResource } from './test-engine.js';
export { expectInstance } from './expect-instance.js';
export { InstanceAssertions } from './instance-assertions.js';
export type { ExpectInstanceOptions } from './instance-assertions.js';
export type { FailNextJobOptions, JobResult } from './job-helpers.js';
export type { TestJob } from './jobs.js';
export type { OpenIncident, InstanceStatus, ElementTrace } from './instance-history.js';
export { InstanceHistory, RecordHistory } from './instance-history.js';
export { spanToMillis } from './duration.js';
export type { TimeSpan } from './duration.js';
