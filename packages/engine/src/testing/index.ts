// @baton-engine/engine/testing: a synchronous engine for tests (models in, commands in, records out).
export { EngineHarness, CommandResult, DeploymentResult, InstanceResult } from './engine-harness.js';
export type { EngineHarnessOptions, ModelSource } from './engine-harness.js';
export { RecordStream, describeRecord } from './record-stream.js';
export { assertLifecycle, lifecycleOf, COMPLETED_LIFECYCLE, TERMINATED_LIFECYCLE } from './lifecycle.js';
export type { LifecycleAssertionOptions } from './lifecycle.js';
