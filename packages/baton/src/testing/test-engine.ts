import type { ActivatedJob, LoggedRecord } from '@baton-engine/engine';
import type { Engine } from '../engine.js';
import { createEngine } from '../engine.js';
import { ControlledClock } from '../runtime/clock.js';
import type {
  CreateInstanceOptions,
  DeployResource,
  Deployment,
  ProcessInstance,
  Variables,
} from '../api-types.js';
import type { TimeSpan } from './duration.js';
import { spanToMillis } from './duration.js';
import { registerInstance } from './expect-instance.js';
import { nextDueDate, waitUntilIdle } from './idle.js';
import type { AssertionContext, ExpectInstanceOptions } from './instance-assertions.js';
import { InstanceAssertions } from './instance-assertions.js';
import type { OpenIncident } from './instance-history.js';
import { RecordHistory } from './instance-history.js';
import { describeInstance } from './instance-report.js';
import type { FailNextJobOptions, JobHelperContext, JobResult } from './job-helpers.js';
import { completeNextJob, failNextJob, throwErrorOnNextJob } from './job-helpers.js';
import type { TestJob } from './jobs.js';
import { liveJobs } from './jobs.js';

/** Options of `createTestEngine`. */
export interface TestEngineOptions {
  /** Partitions of the engine (default 1); more spread instances as in production. */
  readonly partitions?: number;
  /** Where the clock starts: epoch ms, a `Date` or an ISO 8601 date-time (default 2030-01-01T00:00:00Z). */
  readonly startTime?: number | Date | string;
  /** Wall-clock ms assertions and job helpers wait for the expected state before failing (default 2,000). */
  readonly waitTimeout?: number;
}

/** A process to deploy: BPMN XML, named XML, or anything with `toXml()` such as a builder's `BuiltProcess`. */
export type TestResource = DeployResource | { toXml(): Promise<string>; readonly id?: string };

/**
 * Starts an in-memory engine on a controlled clock, with assertions and job helpers. Close it at the end
 * of the test (`await harness.close()`).
 */
export async function createTestEngine(options: TestEngineOptions = {}): Promise<TestEngine> {
  const clock = new ControlledClock(startTimeOf(options.startTime));
  const engine = await createEngine({ store: 'memory', clock, partitions: options.partitions });
  return new TestEngine(engine, clock, options.waitTimeout ?? 2_000);
}

/** The most due dates `advanceTime` steps through in one call, so that a runaway cycle ends with an error. */
const MAX_TIME_STEPS = 100_000;

/**
 * An engine for tests: time moves only when told (`advanceTime`), every committed record is kept per
 * process instance, and helpers stand in for workers. Everything it reports comes from committed records
 * and the partitions' read-only state, as an exporter or operator would see it.
 */
export class TestEngine implements AssertionContext, JobHelperContext {
  /** Every committed record, per process instance too. */
  readonly history = new RecordHistory();
  private readonly unsubscribe: () => void;
  private closing: Promise<void> | undefined;

  /** @internal Use `createTestEngine`. */
  constructor(
    /** The engine under test, for everything the harness does not wrap (messages, signals, incidents …). */
    readonly engine: Engine,
    /** The engine's clock; prefer `advanceTime`, which also waits for what falls due. */
    readonly clock: ControlledClock,
    /** Wall-clock ms assertions and job helpers wait for the expected state. */
    readonly waitTimeout: number,
  ) {
    this.unsubscribe = engine.onRecords((batch) => this.history.add(batch));
  }

  /** Every record committed so far, over all partitions. */
  get records(): readonly LoggedRecord[] {
    return this.history.records;
  }

  /** The engine's current time (epoch ms). */
  now(): number {
    return this.clock.now();
  }

  /** Deploys processes (all or none); builder output is turned into XML first. */
  async deploy(...resources: TestResource[]): Promise<Deployment> {
    const normalized: DeployResource[] = [];
    for (const [i, resource] of resources.entries()) {
      if (typeof resource === 'object' && 'toXml' in resource) {
        normalized.push({ name: `${resource.id ?? `process-${i + 1}`}.bpmn`, xml: await resource.toXml() });
      } else {
        normalized.push(resource);
      }
    }
    const deployment = await this.engine.deploy(normalized);
    await this.waitForIdle();
    return deployment;
  }

  /**
   * Starts an instance of the latest version of a process (by id, or a built process) and waits until
   * the engine is idle, so that the instance stands at its first wait state.
   */
  async createInstance(
    process: string | { readonly id: string },
    variables?: Variables,
    options?: CreateInstanceOptions,
  ): Promise<ProcessInstance> {
    const id = typeof process === 'string' ? process : process.id;
    const instance = await this.engine.createInstance(id, variables, options);
    registerInstance(instance, this);
    await this.waitForIdle();
    return instance;
  }

  /**
   * The process instances seen so far, optionally of one process, in order of creation: also those started
   * by a call activity, a message or a timer. Each works with `expectInstance`.
   */
  instances(bpmnProcessId?: string): ProcessInstance[] {
    return this.history
      .allInstances()
      .filter((h) => bpmnProcessId === undefined || h.bpmnProcessId === bpmnProcessId)
      .map((h) => {
        const instance: ProcessInstance = {
          processInstanceKey: h.processInstanceKey,
          bpmnProcessId: h.bpmnProcessId,
          version: h.version,
          processDefinitionKey: h.processDefinitionKey,
        };
        registerInstance(instance, this);
        return instance;
      });
  }

  /** Assertions on a process instance, also one known only by its key. */
  expectInstance(instance: ProcessInstance | string, options?: ExpectInstanceOptions): InstanceAssertions {
    return new InstanceAssertions(this, keyOf(instance), options);
  }

  /** The variables of the instance's process scope as they are now (or were when it ended). */
  variables(instance: ProcessInstance | string): Record<string, unknown> {
    return this.history.instance(keyOf(instance)).variables();
  }

  /** Open incidents, of one instance or of all; each carries its `key` (for `resolveIncident`) and `jobKey`. */
  incidents(instance?: ProcessInstance | string): OpenIncident[] {
    const histories =
      instance === undefined ? this.history.allInstances() : [this.history.instance(keyOf(instance))];
    return histories.flatMap((h) => h.openIncidents());
  }

  /** The jobs that exist now, of one type or of all, oldest first, in whatever state they are. */
  jobs(type?: string): TestJob[] {
    const types = type === undefined ? this.history.jobTypes() : [type];
    return liveJobs(
      this.engine,
      types.flatMap((t) => this.history.jobKeys(t)),
    );
  }

  /**
   * Completes the next job of a type, with variables or a function of the job that returns them. Waits up
   * to `waitTimeout` ms for a job, then fails listing the job types that are activatable. Resolves with the
   * job once the engine is idle again.
   */
  completeJob(type: string, result?: JobResult): Promise<ActivatedJob> {
    return completeNextJob(this, type, result);
  }

  /** Fails the next job of a type (default: one retry fewer, no back-off); with `retries: 0` an incident is raised. */
  failJob(type: string, options?: FailNextJobOptions): Promise<ActivatedJob> {
    return failNextJob(this, type, options);
  }

  /** Throws a BPMN error from the next job of a type, to be caught by an error boundary or event sub-process. */
  throwError(
    type: string,
    errorCode: string,
    errorMessage?: string,
    variables?: Variables,
  ): Promise<ActivatedJob> {
    return throwErrorOnNextJob(this, type, errorCode, errorMessage, variables);
  }

  /**
   * Moves the clock forward by milliseconds or an ISO 8601 duration (`'PT10M'`, `'P14D'`), firing whatever
   * falls due on the way (timers, job time-outs, back-offs, message expiries) at its own due time and in
   * order, and resolves once the engine is idle at the new time.
   */
  async advanceTime(span: TimeSpan): Promise<void> {
    const target = this.clock.now() + spanToMillis(span, this.clock.now());
    await this.waitForIdle();
    // Step from due date to due date, so that each firing carries its own time and what it schedules
    // (the next repetition of a cycle, a new timer) is judged from there, as it would be in real time.
    for (let step = 0; step < MAX_TIME_STEPS; step++) {
      const due = nextDueDate(this.engine);
      if (due === undefined || due > target) {
        if (target > this.clock.now()) this.clock.advance(target - this.clock.now());
        await this.waitForIdle();
        return;
      }
      if (due > this.clock.now()) this.clock.advance(due - this.clock.now());
      await this.waitForIdle();
    }
    throw new Error(`advanceTime(${JSON.stringify(span)}): more than ${MAX_TIME_STEPS} due dates on the way`);
  }

  /**
   * Resolves once the engine has nothing left to do at the current time: queued commands processed, due
   * work fired, no new records on a further turn of the event loop.
   */
  waitForIdle(): Promise<void> {
    return waitUntilIdle(this.engine, () => this.history.size);
  }

  /** Where an instance is: status, active elements with their jobs, completed elements, incidents, variables. */
  describe(instance: ProcessInstance | string): string {
    return describeInstance(this.history.instance(keyOf(instance)), {
      jobsOfInstance: (key) => liveJobs(this.engine, this.history.instance(key).jobKeys),
      instance: (key) => this.history.instance(key),
    });
  }

  /** Stops the engine; safe to call more than once. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.unsubscribe();
      await this.engine.close();
    })();
    return this.closing;
  }
}

function keyOf(instance: ProcessInstance | string): string {
  return typeof instance === 'string' ? instance : instance.processInstanceKey;
}

function startTimeOf(start: TestEngineOptions['startTime']): number | undefined {
  if (start === undefined) return undefined;
  const millis =
    start instanceof Date ? start.getTime() : typeof start === 'string' ? Date.parse(start) : start;
  if (!Number.isFinite(millis)) throw new RangeError(`Expected a start time, but got '${String(start)}'`);
  return millis;
}
