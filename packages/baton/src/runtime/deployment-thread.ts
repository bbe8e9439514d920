// The deployment thread: parses, validates and compiles the resources of large deployments beside the
// partitions instead of on their thread. One deployment at a time, answered in the order they came.
import { parentPort } from 'node:worker_threads';
import { setMinimumCycleInterval } from '@baton-engine/engine';
import { deploymentCommandValue } from './deployments.js';
import type { CompileReply, CompileRequest } from './deployment-compiler.js';

const port = parentPort!;
let queue = Promise.resolve();

port.on('message', (request: CompileRequest) => {
  queue = queue.then(async () => {
    try {
      // The minimum cycle is module state: this thread has its own copy, set as the engine's.
      setMinimumCycleInterval(request.minimumTimerCycleMs);
      const { resources: _, ...value } = await deploymentCommandValue(request.resources, request.limits);
      port.postMessage({ id: request.id, json: JSON.stringify(value) } satisfies CompileReply);
    } catch (error) {
      port.postMessage({
        id: request.id,
        error: error instanceof Error ? error.message : String(error),
      } satisfies CompileReply);
    }
  });
});
