import type {
  ActivatedJob,
  ExpressionLimits,
  JobResult,
  LoggedRecord,
  CommandBody,
  BatchOperation,
  BatchOperationCreationValue,
  BatchOperationType,
} from '@baton-engine/engine';
import {
  DEFAULT_EXPRESSION_LIMITS,
  DEFAULT_MINIMUM_CYCLE_INTERVAL_MS,
  isKey,
  partitionOfKey,
  setExpressionLimits,
  setMinimumCycleInterval,
} from '@baton-engine/engine';
import type { StoreFactory } from '@baton-engine/store';
import { createMemoryStoreFactory } from '@baton-engine/store';
import { BatonError } from './errors.js';
import type { Clock } from './runtime/clock.js';
import { systemClock } from './runtime/clock.js';
import { PartitionRuntime } from './runtime/partition.js';
import type { PartitionOptions } from './runtime/partition.js';
import type { ActivateJobsRequest } from './runtime/job-dispatcher.js';
import { JobDispatcher } from './runtime/job-dispatcher.js';
import { BatchOperationCoordinator } from './runtime/batch-operation-coordinator.js';
import type { BatchOperationItemSource } from './runtime/batch-operation-items.js';
import { answerRead, fromWire, startFormOf } from './runtime/partition-reads.js';
import type { BatchOperationOnWire, PartitionRead, PartitionReadAnswer } from './runtime/partition-reads.js';
import { ResultWaiters } from './runtime/result-waiters.js';
import type { DeploymentLimits } from './runtime/deployments.js';
import {
  checkDeploymentLimits,
  DEFAULT_DEPLOYMENT_LIMITS,
  distributeProcesses,
} from './runtime/deployments.js';
import type { DeploymentCompiler } from './runtime/deployment-compiler.js';
import { deploymentCompiler } from './runtime/deployment-compiler.js';
import { decodeResource } from './runtime/decode-resource.js';
import { distributeEvents, homePartition } from './runtime/event-distribution.js';
import type { JobWorker, JobWorkerOptions } from './workers/job-worker.js';
import { startJobWorker } from './workers/job-worker.js';
import type {
  CreateInstanceOptions,
  CreateInstanceWithResultOptions,
  DecisionEvaluation,
  EvaluateDecisionOptions,
  Deployment,
  DeployResource,
  EngineHealth,
  FailJobOptions,
  Form,
  InstanceResult,
  ProcessInstance,
  ThrowErrorOptions,
  UserTask,
  UserTaskChanges,
  UserTaskFilter,
  Variables,
  EngineStats,
  EngineTopology,
  ClusterTopology,
  ProcessModel,
} from './api-types.js';
import { DEFAULT_COMMAND_LIMITS } from './runtime/command-limits.js';
import type { CommandLimits } from './runtime/command-limits.js';
import { vmTimeBoundRunner } from './runtime/time-bound-runner.js';
import { backPressureOptions } from './runtime/back-pressure.js';
import type { BackPressureOptions } from './runtime/back-pressure.js';
import type { EngineLogger, Exporter, ExporterRetryOptions } from './runtime/exporter.js';
import { DEFAULT_EXPORTER_RETRY, warningLogger } from './runtime/exporter.js';
import { registerPartitions } from './runtime/engine-internals.js';
import { MailboxLinks } from './runtime/mailbox-links.js';
import type { PartitionMailbox } from './runtime/partition-mailbox.js';
import type { JobStreamRequest, RemotePartitions } from './runtime/remote-partitions.js';

/** Where a command goes: a partition of this process, or a partition's leader on another node. */
type CommandTarget = Pick<PartitionRuntime, 'submit'>;

/** How long a long poll in a cluster waits for jobs here before it waits on the other nodes too. */
const REMOTE_POLL_AFTER_MS = 250;

/** Resolves after `ms`, or at once when `signal` aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, ms));
    signal.addEventListener('abort', done, { once: true });
  });
}

/** One runner for the process: it holds a vm context, nothing per engine. */
const timeBoundRunner = vmTimeBoundRunner();

export interface EngineOptions {
  /** Where the log lives: an SQLite file (default), memory (tests), or any `StoreFactory`. */
  readonly store?: 'sqlite' | 'memory' | StoreFactory;
  /** The SQLite file; default `$BATON_DB` or `./baton.db`. */
  readonly path?: string;
  /** SQLite `synchronous`: FULL (default) makes every acknowledged batch survive a power loss. */
  readonly synchronous?: 'FULL' | 'NORMAL';
  /** Number of partitions (default 1). Instances are spread over them; each has its own single writer. */
  readonly partitions?: number;
  /**
   * The partitions this engine opens at start (default: all of them). A cluster node opens only those it
   * leads and adds or drops others later (`hostPartition`, `releasePartition`); a command for a partition
   * it does not host fails with UNAVAILABLE naming the partition.
   */
  readonly hostedPartitions?: readonly number[];
  /**
   * Where partitions led by different nodes leave each other messages, signals and deployments (a cluster's
   * database). Without it they are handed over in this process, which then must host them all.
   */
  readonly mailbox?: PartitionMailbox;
  /**
   * The partitions led on other nodes: commands for them are forwarded to their leaders, and job activation
   * also asks the other nodes. Without it such commands fail with UNAVAILABLE.
   */
  readonly remote?: RemotePartitions;
  /** Where command time comes from; `ControlledClock` in tests. */
  readonly clock?: Clock;
  /**
   * Commands queued per partition before new ones get RESOURCE_EXHAUSTED (default 10,000): a hard cap that
   * holds for every command, those exempt from `backPressure` too.
   */
  readonly maxQueuedCommands?: number;
  /**
   * Back-pressure on latency: each partition admits commands while fewer than its in-flight limit are
   * waiting for their answer, and refuses the others at once with RESOURCE_EXHAUSTED. With `algorithm:
   * 'aimd'` (the default) the limit adapts so that commands are answered within `targetLatencyMs` (default
   * 200) from submission, between `minLimit` (50) and `maxLimit` (10,000), starting at `initialLimit` (500);
   * with `'fixed'` it stays at `initialLimit`; `false` turns the limit off (only `maxQueuedCommands` holds).
   * Completing or failing a job, cancelling an instance, deploying and the engine's own commands are never
   * refused by it. See `BackPressureOptions`.
   */
  readonly backPressure?: Partial<BackPressureOptions> | false;
  /** Commands processed into one durable batch at most (default 1,000). */
  readonly maxCommandsPerBatch?: number;
  /** Records between snapshots (default 100,000). */
  readonly snapshotEveryRecords?: number;
  /**
   * What one command may carry (variable document size and count, nesting depth); see `CommandLimits`
   * for the defaults. A command past them is refused with INVALID_ARGUMENT naming the field.
   */
  readonly commandLimits?: Partial<CommandLimits>;
  /**
   * Bounds on one FEEL expression: `timeoutMs` (default 1,000) for expressions with loops, ranges or
   * functions, `maxResultBytes` (default 4 MiB). Past them the element gets an incident naming the limit.
   * They hold for every engine in the process (the last one created sets them).
   */
  readonly expressionLimits?: Partial<Pick<ExpressionLimits, 'timeoutMs' | 'maxResultBytes'>>;
  /**
   * The shortest interval of a timer cycle (default 1,000 ms): a shorter static cycle refuses the deployment,
   * naming the element; a shorter cycle from an expression is an incident. Process-wide, as expressionLimits.
   */
  readonly minimumTimerCycleMs?: number;
  /**
   * What one deployment may hold: `maxFlowElementsPerResource` (default 20,000 events, activities, gateways
   * and sequence flows in one BPMN resource). A resource past it is refused with INVALID_ARGUMENT naming it,
   * its count and the limit, before it is parsed.
   */
  readonly deploymentLimits?: Partial<DeploymentLimits>;
  /**
   * Exporters that follow the committed log of every partition (see `Exporter`), opened before the engine
   * serves commands; each resumes after the position it acknowledged before the last shutdown.
   */
  readonly exporters?: readonly Exporter[];
  /** How a failing exporter is retried (default: after 500 ms, doubling up to 30 s). */
  readonly exporterRetry?: Partial<ExporterRetryOptions>;
  /** Where the runtime reports failing exporters (pino's signature); default: process warnings. */
  readonly logger?: EngineLogger;
}

/** Opens an engine: recovers every partition from its snapshot and log, then serves commands. */
export async function createEngine(options: EngineOptions = {}): Promise<Engine> {
  // Before recovery: replaying needs no evaluation, but the scheduler may fire timers right after it.
  setExpressionLimits({
    ...DEFAULT_EXPRESSION_LIMITS,
    ...options.expressionLimits,
    runner: timeBoundRunner,
  });
  const minimumTimerCycleMs = options.minimumTimerCycleMs ?? DEFAULT_MINIMUM_CYCLE_INTERVAL_MS;
  setMinimumCycleInterval(minimumTimerCycleMs);
  const deploymentLimits = { ...DEFAULT_DEPLOYMENT_LIMITS, ...options.deploymentLimits };
  const limit = deploymentLimits.maxFlowElementsPerResource;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new BatonError(
      'INVALID_ARGUMENT',
      `deploymentLimits.maxFlowElementsPerResource must be a positive integer, got ${limit}`,
    );
  }
  const factory = await storeFactoryOf(options);
  const count = options.partitions ?? 1;
  if (!Number.isInteger(count) || count < 1 || count > 64) {
    throw new BatonError('INVALID_ARGUMENT', `partitions must be an integer from 1 to 64, got ${count}`);
  }
  const partitionOptions = {
    clock: options.clock ?? systemClock,
    maxQueuedCommands: options.maxQueuedCommands ?? 10_000,
    backPressure: backPressureOptions(options.backPressure),
    maxCommandsPerBatch: options.maxCommandsPerBatch ?? 1_000,
    snapshotEveryRecords: options.snapshotEveryRecords ?? 100_000,
    commandLimits: { ...DEFAULT_COMMAND_LIMITS, ...options.commandLimits },
    exporterRetry: exporterRetryOf(options.exporterRetry),
    logger: options.logger ?? warningLogger,
  };
  const hosted = hostedPartitionsOf(options.hostedPartitions, count);
  const partitions: PartitionRuntime[] = [];
  for (const id of hosted) {
    try {
      partitions.push(await openPartition(factory, id, partitionOptions));
    } catch (error) {
      // The file stays locked otherwise.
      await factory.close().catch(() => undefined);
      throw error;
    }
  }
  await distributeProcesses(partitions);
  const compiler = deploymentCompiler({ limits: deploymentLimits, minimumTimerCycleMs });
  const engine = new Engine(
    partitions,
    factory,
    partitionOptions,
    compiler,
    deploymentLimits,
    count,
    options.mailbox,
    options.remote,
  );
  try {
    for (const exporter of options.exporters ?? []) await engine.addExporter(exporter);
  } catch (error) {
    await engine.close().catch(() => undefined);
    throw error;
  }
  return engine;
}

function exporterRetryOf(input: Partial<ExporterRetryOptions> | undefined): ExporterRetryOptions {
  const retry = { ...DEFAULT_EXPORTER_RETRY, ...input };
  for (const [name, value] of Object.entries(retry)) {
    if (!Number.isFinite(value) || value < 0)
      throw new BatonError(
        'INVALID_ARGUMENT',
        `exporterRetry.${name} must be a non-negative number of milliseconds, got ${String(value)}`,
      );
  }
  return retry;
}

/** Opens one partition: its store, and its state recovered from snapshot and log. */
async function openPartition(
  factory: StoreFactory,
  id: number,
  options: PartitionOptions,
): Promise<PartitionRuntime> {
  try {
    return await PartitionRuntime.open(await factory.open(id), options);
  } catch (error) {
    // A bare "Bad control character in JSON" says nothing of where.
    throw new Error(
      `partition ${id} could not be recovered from ${factory.description}: ${(error as Error)?.message ?? String(error)}` +
        ' (a damaged store: restore it from a backup)',
      { cause: error },
    );
  }
}

function hostedPartitionsOf(hosted: readonly number[] | undefined, count: number): number[] {
  if (hosted === undefined) return Array.from({ length: count }, (_, i) => i + 1);
  for (const id of hosted) {
    if (!Number.isInteger(id) || id < 1 || id > count)
      throw new BatonError(
        'INVALID_ARGUMENT',
        `hostedPartitions must hold partition ids from 1 to ${count}, got ${String(id)}`,
      );
  }
  return [...new Set(hosted)].sort((a, b) => a - b);
}

/** The store; SQLite's native module is loaded only when an engine uses it (not for memory engines). */
async function storeFactoryOf(options: EngineOptions): Promise<StoreFactory> {
  const store = options.store ?? 'sqlite';
  if (store === 'memory') return createMemoryStoreFactory();
  if (store === 'sqlite') {
    const path = options.path ?? process.env.BATON_DB ?? 'baton.db';
    const { createSqliteStoreFactory } = await import('@baton-engine/store-sqlite');
    return createSqliteStoreFactory({ path, synchronous: options.synchronous });
  }
  return store;
}

/**
 * A Baton engine embedded in this process. Every method submits a command to a partition and resolves once
 * the outcome is durable; an expected failure rejects with a `BatonError` naming what is wrong.
 */
export class Engine {
  private readonly jobs: JobDispatcher;
  private readonly batches: BatchOperationCoordinator;
  private readonly results = new ResultWaiters();
  private handOvers: { stop(): void };
  private readonly mailboxLinks: MailboxLinks | undefined;
  private readonly partitions: PartitionRuntime[];
  /** Partitions being opened or released, by id: one change at a time per partition. */
  private readonly changing = new Map<number, Promise<unknown>>();
  /** `onRecords` listeners, also given the partitions hosted later. */
  private readonly recordListeners = new Set<{
    listener: (records: readonly LoggedRecord[]) => void;
    offs: (() => void)[];
  }>();
  /** `onHostedPartitionsChange` listeners. */
  private readonly hostingListeners = new Set<(hosted: readonly number[]) => void>();
  private readonly workers = new Set<JobWorker>();
  /** The exporters added, by id; each is closed once, when removed or when the engine closes. */
  private readonly exporters = new Map<string, Exporter>();
  private nextPartition = 0;
  private closing: Promise<void> | undefined;

  readonly clock: Clock;

  constructor(
    partitions: readonly PartitionRuntime[],
    private readonly factory: StoreFactory,
    private readonly partitionOptions: PartitionOptions,
    private readonly compiler: DeploymentCompiler,
    private readonly deploymentLimits: DeploymentLimits,
    /** All partitions of the engine, hosted here or not. */
    readonly partitionCount: number,
    mailbox?: PartitionMailbox,
    private readonly remote?: RemotePartitions,
  ) {
    this.clock = partitionOptions.clock;
    this.partitions = [...partitions];
    this.jobs = new JobDispatcher(this.partitions);
    this.batches = new BatchOperationCoordinator(
      this.partitions,
      (body, key) => this.commandTarget(key, 'batch operation').submit(body, key),
      this,
      (message) => partitionOptions.logger.warn({}, message),
    );
    this.mailboxLinks = mailbox && new MailboxLinks(mailbox, partitionCount);
    this.handOvers = this.mailboxLinks ?? distributeEvents(this.partitions);
    this.mailboxLinks?.sync(this.partitions);
    for (const partition of partitions) partition.onCommit((records) => this.results.onCommit(records));
    registerPartitions(this, this.partitions);
  }

  /** The ids of the partitions this engine hosts now, ascending. */
  get hostedPartitions(): number[] {
    return this.partitions.map((p) => p.partitionId);
  }

  /**
   * Opens a partition this engine does not host yet (its state recovered from snapshot and log), e.g. when
   * a cluster node takes its lease. Processes deployed on the hosted partitions are distributed to it.
   */
  hostPartition(id: number): Promise<void> {
    return this.change(id, async () => {
      if (this.closing) throw new BatonError('UNAVAILABLE', 'the engine is closing');
      if (!Number.isInteger(id) || id < 1 || id > this.partitionCount)
        throw new BatonError(
          'INVALID_ARGUMENT',
          `partition must be from 1 to ${this.partitionCount}, got ${id}`,
        );
      if (this.hosted(id)) return;
      const partition = await openPartition(this.factory, id, this.partitionOptions);
      partition.onCommit((records) => this.results.onCommit(records));
      for (const entry of this.recordListeners) entry.offs.push(partition.onCommit(entry.listener));
      try {
        for (const exporter of this.exporters.values()) await partition.exporters.add(exporter);
      } catch (error) {
        await partition.close().catch(() => undefined);
        throw error;
      }
      this.jobs.add(partition);
      this.partitions.push(partition);
      this.batches.add(partition);
      this.partitions.sort((a, b) => a.partitionId - b.partitionId);
      this.rewireHandOvers();
      await distributeProcesses(this.partitions);
      this.hostingChanged();
    });
  }

  /**
   * Stops hosting a partition: it finishes its in-flight batch, snapshots (if it still may write) and closes
   * its store; commands for it fail with UNAVAILABLE from then on. Nothing happens if it is not hosted.
   */
  releasePartition(id: number): Promise<void> {
    return this.change(id, async () => {
      const partition = this.hosted(id);
      if (!partition) return;
      this.partitions.splice(this.partitions.indexOf(partition), 1);
      this.rewireHandOvers();
      await partition.close();
      this.hostingChanged();
    });
  }

  /**
   * Calls the listener with the hosted partition ids each time a partition is hosted or released (a cluster
   * node took or gave up its lease), once the partition is open with its state recovered, or closed.
   */
  onHostedPartitionsChange(listener: (hosted: readonly number[]) => void): () => void {
    this.hostingListeners.add(listener);
    return () => this.hostingListeners.delete(listener);
  }

  private hostingChanged(): void {
    const hosted = this.hostedPartitions;
    for (const listener of [...this.hostingListeners]) {
      try {
        listener(hosted);
      } catch (error) {
        process.emitWarning(
          `a hosted-partitions listener failed: ${(error as Error)?.message ?? String(error)}`,
          'BatonWarning',
        );
      }
    }
  }

  private change(id: number, step: () => Promise<void>): Promise<void> {
    const previous = this.changing.get(id) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(step);
    this.changing.set(id, next);
    next
      .finally(() => {
        if (this.changing.get(id) === next) this.changing.delete(id);
      })
      .catch(() => undefined);
    return next;
  }

  /** Hand-over links join the hosted partitions; each new link catches up from what its target took. */
  private rewireHandOvers(): void {
    if (this.mailboxLinks) return this.mailboxLinks.sync(this.partitions);
    this.handOvers.stop();
    this.handOvers = distributeEvents(this.partitions);
  }

  private hosted(id: number): PartitionRuntime | undefined {
    return this.partitions.find((p) => p.partitionId === id);
  }

  /** A description of where the engine stores its log, e.g. `sqlite:/data/baton.db`. */
  get storage(): string {
    return this.factory.description;
  }

  /** Whether commands can be made durable now, and if not, why (a store fault, a failed write). */
  health(): EngineHealth {
    const store = this.factory.health?.() ?? { healthy: true };
    const closed = this.closing !== undefined;
    const partitions = this.partitions.map((p) => {
      const detail = closed ? 'the engine is closing' : (p.appendFailure ?? store.detail);
      return {
        partitionId: p.partitionId,
        healthy: detail === undefined,
        ...(detail === undefined ? {} : { detail }),
        ...(p.snapshotFailure === undefined ? {} : { snapshotFailure: p.snapshotFailure }),
        backPressure: p.backPressure,
      };
    });
    return {
      healthy: store.healthy && partitions.every((p) => p.healthy),
      storage: this.storage,
      store,
      partitions,
    };
  }

  /**
   * Deploys BPMN, DMN and form resources; all of them or none. The same resource again gives the same
   * version. What does not affect execution refuses nothing: it is listed in `warnings`.
   */
  async deploy(resources: DeployResource | readonly DeployResource[]): Promise<Deployment> {
    const list = (Array.isArray(resources) ? resources : [resources]) as DeployResource[];
    const normalized = await Promise.all(
      list.map(async (r, i) => {
        if (typeof r === 'string') return { resourceName: `resource-${i + 1}.bpmn`, content: r };
        if ('toXml' in r) return { resourceName: `${r.id}.bpmn`, content: await r.toXml() };
        if ('xml' in r) return { resourceName: r.name, content: r.xml };
        const content = typeof r.content === 'string' ? r.content : decodeResource(r.name, r.content);
        return { resourceName: r.name, content };
      }),
    );
    const tooLarge = checkDeploymentLimits(normalized, this.deploymentLimits);
    if (tooLarge) throw tooLarge;
    // Parsing and compiling a large model happen on a thread of their own, beside the partitions.
    const value = await this.compiler.compile(normalized);
    const response = await this.firstTarget.submit({ valueType: 'DEPLOYMENT', intent: 'CREATE', value });
    await distributeProcesses(this.partitions);
    if (response.valueType !== 'DEPLOYMENT')
      throw new BatonError('PROCESSING_ERROR', 'unexpected deployment answer');
    return {
      key: response.key,
      processes: response.value.processesMetadata.map((p) => ({ ...p })),
      decisions: (response.value.decisionsMetadata ?? []).map((d) => ({ ...d })),
      decisionRequirements: (response.value.decisionRequirementsMetadata ?? []).map(
        ({ decisionRequirementsVersion, ...d }) => ({ ...d, version: decisionRequirementsVersion }),
      ),
      forms: (response.value.formsMetadata ?? []).map((f) => ({
        formId: f.formId,
        version: f.version,
        formKey: f.formKey,
        resourceName: f.resourceName,
        duplicate: f.duplicate,
      })),
      warnings: response.value.warnings ?? [],
    };
  }

  /**
   * A deployed form by its key (`formKey` of a deployment or a user task), or undefined. In a cluster a form
   * the partitions here do not have (a node leading none, a deployment not distributed here yet) is asked of
   * the partition it was deployed on, through its leader.
   */
  async form(formKey: string): Promise<Form | undefined> {
    const read = { kind: 'form', formKey } as const;
    const here = this.partitions.find((p) => p.engineState.forms.byKey(formKey));
    if (here || !this.remote) return formAnswer(answerRead((here ?? this.first).engineState, read));
    const home = isKey(formKey) ? partitionOfKey(formKey) : 0;
    if (home < 1 || home > this.partitionCount || this.hosted(home)) return undefined;
    return formAnswer(await this.readOn(home, read));
  }

  /** The latest version of a form id, or undefined (in a cluster, on a node leading none, asked of a leader). */
  async latestForm(formId: string): Promise<Form | undefined> {
    const read = { kind: 'latest-form', formId } as const;
    if (this.partitions.length > 0 || !this.remote)
      return formAnswer(answerRead(this.first.engineState, read));
    return formAnswer(await this.readOn((this.nextPartition++ % this.partitionCount) + 1, read));
  }

  /** Starts an instance of the latest (or the given) version of a process. */
  async createInstance<V extends Variables = Variables>(
    bpmnProcessId: string,
    variables?: V,
    options: CreateInstanceOptions = {},
  ): Promise<ProcessInstance> {
    const response = await this.anyTarget().submit(
      this.creationCommand(bpmnProcessId, variables, options, false),
    );
    return instanceOf(response);
  }

  /** Starts an instance and waits until it completes; resolves with its variables. */
  async createInstanceWithResult<R extends Variables = Variables, V extends Variables = Variables>(
    bpmnProcessId: string,
    variables?: V,
    options: CreateInstanceWithResultOptions = {},
  ): Promise<InstanceResult<R>> {
    // The result is awaited where the instance runs: on a node leading no partition, another node's.
    if (this.partitions.length === 0 && this.remote)
      return (await this.remote.createInstanceWithResult(
        bpmnProcessId,
        variables ?? {},
        options,
      )) as InstanceResult<R>;
    let result: Promise<Record<string, unknown>> | undefined;
    const command = this.creationCommand(bpmnProcessId, variables, options, true, options.fetchVariables);
    const response = await this.pickPartition().submit(command, '-1', (created) => {
      const key =
        created.valueType === 'PROCESS_INSTANCE_CREATION' ? created.value.processInstanceKey : created.key;
      result = this.results.register(key, options.timeout ?? 60_000);
    });
    const instance = instanceOf(response);
    const resultVariables = await result!;
    return { ...instance, variables: resultVariables as R };
  }

  private creationCommand(
    bpmnProcessId: string,
    variables: Variables | undefined,
    options: CreateInstanceOptions,
    awaitResult: boolean,
    fetchVariables?: readonly string[],
  ): CommandBody {
    return {
      valueType: 'PROCESS_INSTANCE_CREATION',
      intent: 'CREATE',
      value: {
        bpmnProcessId,
        version: options.version ?? -1,
        processDefinitionKey: options.processDefinitionKey ?? '-1',
        variables: (variables ?? {}) as Record<string, unknown>,
        processInstanceKey: '-1',
        awaitResult,
        fetchVariables: fetchVariables ?? [],
        ...(options.startInstructions?.length
          ? { startInstructions: options.startInstructions.map((i) => ({ elementId: i.elementId })) }
          : {}),
      },
    };
  }

  /** Cancels a process instance and everything active in it. */
  async cancelInstance(processInstanceKey: string): Promise<void> {
    await this.commandTarget(processInstanceKey, 'process instance').submit(
      { valueType: 'PROCESS_INSTANCE', intent: 'CANCEL', value: {} },
      processInstanceKey,
    );
  }

  /** Activates jobs of a type for a worker (long polling with `requestTimeout`). */
  activateJobs(request: ActivateJobsRequest): Promise<ActivatedJob[]> {
    if (!this.remote || request.localOnly) return this.jobs.activate(request);
    return this.activateEverywhere(request, this.remote);
  }

  /**
   * A job stream: jobs of the type are activated as they become activatable and handed to `deliver`, a batch
   * at a time, until `signal` aborts; each source waits for `deliver` before activating more (a slow client
   * slows activation down). In a cluster the other nodes push the jobs of their partitions too (with
   * `localOnly`, only this node's partitions). Resolves once the stream is closed everywhere.
   */
  async streamJobs(
    request: JobStreamRequest & { localOnly?: boolean },
    deliver: (jobs: ActivatedJob[]) => Promise<void>,
    signal: AbortSignal,
  ): Promise<void> {
    const { localOnly, ...asked } = request;
    const remote = localOnly ? undefined : this.remote?.streamJobs(asked, deliver, signal);
    try {
      while (!signal.aborted) {
        let jobs: ActivatedJob[];
        try {
          jobs = await this.jobs.activate({ ...asked, requestTimeout: 30_000, signal });
        } catch (error) {
          // A partition handed off or lost in the middle of an activation: the stream goes on with the others.
          if (this.closing || !(error instanceof BatonError && error.code === 'UNAVAILABLE')) throw error;
          await this.jobs.waitForJobs(asked.type, 250, signal);
          continue;
        }
        if (jobs.length > 0) await deliver(jobs);
      }
    } finally {
      await remote;
    }
  }

  /**
   * Job activation in a cluster: the partitions here, then those other nodes lead, each asked for what is
   * still wanted. When none has jobs and the request long-polls, it waits here and on every other node at
   * once (`longPollEverywhere`) instead of asking again and again.
   */
  private async activateEverywhere(
    request: ActivateJobsRequest,
    remote: RemotePartitions,
  ): Promise<ActivatedJob[]> {
    const deadline = Date.now() + Math.max(0, request.requestTimeout ?? 0);
    const jobs = await this.jobs.activate({ ...request, requestTimeout: 0 });
    const wanted = request.maxJobsToActivate - jobs.length;
    if (wanted > 0) {
      const { signal: _signal, requestTimeout: _timeout, ...rest } = request;
      // A node out of reach only keeps its jobs from this round.
      jobs.push(...(await remote.activateJobs({ ...rest, maxJobsToActivate: wanted }).catch(() => [])));
    }
    if (jobs.length > 0 || deadline <= Date.now() || request.signal?.aborted) return jobs;
    return this.longPollEverywhere(request, remote, deadline);
  }

  /**
   * The waiting part of a long poll in a cluster: the partitions here and every other leading node wait for
   * jobs of the type at the same time (the other nodes each hold the request until they have jobs or the time
   * is up: nothing is asked while nothing happens). The first side that finds jobs ends the wait everywhere;
   * jobs that two sides activated at the same time beyond `maxJobsToActivate` are yielded (activatable again
   * at once). Jobs found while the client left are still returned: the caller yields what it cannot deliver.
   */
  private async longPollEverywhere(
    request: ActivateJobsRequest,
    remote: RemotePartitions,
    deadline: number,
  ): Promise<ActivatedJob[]> {
    const { signal, requestTimeout: _timeout, ...rest } = request;
    const found = new AbortController();
    const end = () => found.abort();
    signal?.addEventListener('abort', end, { once: true });
    const endOnJobs = (jobs: ActivatedJob[]) => {
      if (jobs.length > 0) end();
      return jobs;
    };
    try {
      const [here, there] = await Promise.allSettled([
        // Time up here is not a reason to stop the others: they end by themselves at the same moment.
        this.waitHere(request, deadline, found.signal).then(endOnJobs, (error: unknown) => {
          end();
          throw error;
        }),
        // The other nodes are asked only after a moment: a busy worker's poll is mostly answered by a job
        // here before, at no request; a job there is found as soon as they are asked.
        pause(Math.min(REMOTE_POLL_AFTER_MS, deadline - Date.now()), found.signal)
          .then(() =>
            found.signal.aborted || Date.now() >= deadline
              ? []
              : remote.pollJobs(rest, deadline - Date.now(), found.signal).catch(() => []),
          )
          .then(endOnJobs),
      ]);
      const jobs = [
        ...(here.status === 'fulfilled' ? here.value : []),
        ...(there.status === 'fulfilled' ? there.value : []),
      ];
      // Beyond the maximum, or all of them when the wait here failed: activatable again at once.
      const surplus = here.status === 'rejected' ? jobs.splice(0) : jobs.splice(request.maxJobsToActivate);
      await Promise.all(surplus.map((job) => this.yieldJob(job.key).catch(() => undefined)));
      if (here.status === 'rejected') throw here.reason;
      return jobs;
    } finally {
      signal?.removeEventListener('abort', end);
    }
  }

  /** Long-polls the partitions here until `deadline` or `signal`; a partition that moves meanwhile is skipped. */
  private async waitHere(
    request: ActivateJobsRequest,
    deadline: number,
    signal: AbortSignal,
  ): Promise<ActivatedJob[]> {
    while (!signal.aborted && Date.now() < deadline) {
      try {
        const jobs = await this.jobs.activate({ ...request, requestTimeout: deadline - Date.now(), signal });
        if (jobs.length > 0) return jobs;
      } catch (error) {
        // A partition handed off or lost in the middle of an activation: the others are still waited on.
        if (this.closing || !(error instanceof BatonError && error.code === 'UNAVAILABLE')) throw error;
        await this.jobs.waitForJobs(request.type, 250, signal);
      }
    }
    return [];
  }

  /**
   * Completes a job with variables. `result` is for the job of an ad-hoc sub-process with a job worker: the
   * elements to activate next, or that its completion condition is fulfilled (Zeebe's job result).
   */
  async completeJob(jobKey: string, variables: Variables = {}, result?: JobResult): Promise<void> {
    await this.jobCommand(jobKey, {
      valueType: 'JOB',
      intent: 'COMPLETE',
      value: { variables, ...(result ? { result } : {}) },
    });
  }

  async failJob(jobKey: string, options: FailJobOptions): Promise<void> {
    await this.jobCommand(jobKey, {
      valueType: 'JOB',
      intent: 'FAIL',
      value: {
        retries: options.retries,
        errorMessage: options.errorMessage ?? '',
        retryBackoff: options.retryBackoff ?? 0,
        variables: options.variables ?? {},
      },
    });
  }

  async throwError(jobKey: string, options: ThrowErrorOptions): Promise<void> {
    await this.jobCommand(jobKey, {
      valueType: 'JOB',
      intent: 'THROW_ERROR',
      value: {
        errorCode: options.errorCode,
        errorMessage: options.errorMessage ?? '',
        variables: options.variables ?? {},
      },
    });
  }

  async updateJobRetries(jobKey: string, retries: number): Promise<void> {
    await this.jobCommand(jobKey, { valueType: 'JOB', intent: 'UPDATE_RETRIES', value: { retries } });
  }

  async updateJobTimeout(jobKey: string, timeout: number): Promise<void> {
    await this.jobCommand(jobKey, { valueType: 'JOB', intent: 'UPDATE_TIMEOUT', value: { timeout } });
  }

  /**
   * Makes an activated job activatable again at once, its retries untouched: for a job activated for a
   * worker that went away before the job reached it (a closed job stream), as Zeebe yields a job a push could
   * not deliver. INVALID_STATE when the job is not activated (completed meanwhile, or timed out).
   */
  async yieldJob(jobKey: string): Promise<void> {
    await this.jobCommand(jobKey, { valueType: 'JOB', intent: 'YIELD', value: {} });
  }

  private jobCommand(jobKey: string, body: Extract<CommandBody, { valueType: 'JOB' }>) {
    return this.commandTarget(jobKey, 'job').submit(body, jobKey);
  }

  /**
   * Publishes a message: it correlates to the instances waiting for its name and correlation key (at most
   * one subscription per instance), starts processes with a matching message start event, and is buffered
   * for `timeToLive` ms (default 0) for subscriptions opened later. A `messageId` is unique while buffered.
   */
  async publishMessage(
    name: string,
    correlationKey: string,
    variables: Variables = {},
    options: { timeToLive?: number; messageId?: string } = {},
  ): Promise<{ key: string }> {
    const partition = this.commandTargetById(homePartition(correlationKey, this.partitionCount) + 1);
    const response = await partition.submit({
      valueType: 'MESSAGE',
      intent: 'PUBLISH',
      value: {
        name,
        correlationKey,
        variables,
        timeToLive: options.timeToLive ?? 0,
        messageId: options.messageId ?? '',
        deadline: 0,
      },
    });
    return { key: response.key };
  }

  /** Broadcasts a signal to every waiting signal event and signal start event. */
  async broadcastSignal(signalName: string, variables: Variables = {}): Promise<{ key: string }> {
    const response = await this.firstTarget.submit({
      valueType: 'SIGNAL',
      intent: 'BROADCAST',
      value: { signalName, variables, distributed: false },
    });
    return { key: response.key };
  }

  /**
   * Modifies a running process instance: activates elements (optionally with variables) and terminates element
   * instances — e.g. to move a token past a step that cannot succeed. One bad instruction refuses all.
   */
  async modifyInstance(
    processInstanceKey: string,
    modification: {
      activate?: readonly { elementId: string; ancestorElementInstanceKey?: string; variables?: Variables }[];
      terminate?: readonly string[];
    },
  ): Promise<void> {
    await this.commandTarget(processInstanceKey, 'process instance').submit({
      valueType: 'PROCESS_INSTANCE_MODIFICATION',
      intent: 'MODIFY',
      value: {
        processInstanceKey,
        activateInstructions: (modification.activate ?? []).map((a) => ({
          elementId: a.elementId,
          ancestorElementInstanceKey: a.ancestorElementInstanceKey ?? '-1',
          variableInstructions: a.variables ? [{ variables: a.variables, scopeId: a.elementId }] : [],
        })),
        terminateInstructions: (modification.terminate ?? []).map((elementInstanceKey) => ({
          elementInstanceKey,
        })),
      },
    });
  }

  /**
   * Activates elements of an active ad-hoc sub-process instance (Zeebe's "activate ad-hoc sub-process
   * activities"): each runs in an inner instance of its own, with the given variables as its local ones.
   * Refused when the instance is not an active ad-hoc sub-process or an element is not one it can activate.
   */
  async activateAdHocSubProcessActivities(
    adHocSubProcessInstanceKey: string,
    elements: readonly { elementId: string; variables?: Variables }[],
  ): Promise<void> {
    await this.commandTarget(adHocSubProcessInstanceKey, 'element instance').submit({
      valueType: 'AD_HOC_SUB_PROCESS_INSTRUCTION',
      intent: 'ACTIVATE',
      value: {
        adHocSubProcessInstanceKey,
        activateElements: elements.map((e) => ({ elementId: e.elementId, variables: e.variables ?? {} })),
      },
    });
  }

  /**
   * Migrates a running instance to another process definition: `mapping` maps each active element id to an
   * element of the same type in the target. Refused (INVALID_STATE) with the reason when it is not safe.
   */
  async migrateInstance(
    processInstanceKey: string,
    targetProcessDefinitionKey: string,
    mapping: Readonly<Record<string, string>>,
  ): Promise<void> {
    await this.commandTarget(processInstanceKey, 'process instance').submit({
      valueType: 'PROCESS_INSTANCE_MIGRATION',
      intent: 'MIGRATE',
      value: {
        processInstanceKey,
        targetProcessDefinitionKey,
        mappingInstructions: Object.entries(mapping).map(([sourceElementId, targetElementId]) => ({
          sourceElementId,
          targetElementId,
        })),
      },
    });
  }

  /**
   * Deletes a process definition or a decision by key, on every partition (in a cluster, through the leaders
   * of those led elsewhere). A process definition with running instances on any partition is refused
   * (INVALID_STATE); deleting the latest version makes the previous one the latest again. The resource's own
   * partition answers first (NOT_FOUND when there is no such resource); a partition that cannot be reached
   * fails the call with UNAVAILABLE naming it (deleting again is harmless: a partition without the resource
   * any more is skipped).
   */
  async deleteResource(resourceKey: string): Promise<void> {
    const local = this.partitions.reduce((n, p) => n + p.engineState.runningInstancesOf(resourceKey), 0);
    const hosted = new Set(this.hostedPartitions);
    const allIds = Array.from({ length: this.partitionCount }, (_, i) => i + 1);
    const elsewhere = this.remote
      ? await this.remote.runningInstancesOf(
          resourceKey,
          allIds.filter((id) => !hosted.has(id)),
        )
      : 0;
    if (local + elsewhere > 0) {
      throw new BatonError(
        'INVALID_STATE',
        `Expected to delete resource '${resourceKey}', but ${local + elsewhere} instance(s) of it are running; cancel or migrate them first`,
      );
    }
    const body = { valueType: 'RESOURCE_DELETION', intent: 'DELETE', value: { resourceKey } } as const;
    const home = isKey(resourceKey) ? partitionOfKey(resourceKey) : 0;
    const first = home >= 1 && home <= this.partitionCount ? home : undefined;
    await (first === undefined ? this.firstTarget : this.commandTargetById(first)).submit(body);
    const others = this.remote ? allIds : [...hosted];
    const failed: string[] = [];
    for (const id of others) {
      if (id === (first ?? this.partitions[0]?.partitionId)) continue;
      await this.commandTargetById(id)
        .submit(body)
        .catch((error: unknown) => {
          // Not there (never distributed to it, or deleted already): nothing to do.
          if (!(error instanceof BatonError && error.code === 'NOT_FOUND'))
            failed.push(`partition ${id}: ${(error as Error)?.message ?? String(error)}`);
        });
    }
    if (failed.length > 0)
      throw new BatonError(
        'UNAVAILABLE',
        `resource '${resourceKey}' was deleted, but not yet on every partition (${failed.join('; ')}); delete it again`,
      );
  }

  /**
   * Evaluates a deployed DMN decision (the latest version of `decisionId`, or `{ decisionKey }`) against
   * variables. Rejects with INVALID_ARGUMENT when the decision cannot be evaluated (e.g. no rule matched
   * under hit policy UNIQUE), naming the decision and the cause; with `{ failure: 'answer' }` resolves with
   * the failure instead (`failedDecisionId`, `failureMessage`), as Zeebe's gateway answers.
   */
  async evaluateDecision(
    decision: string | { decisionKey: string },
    variables: Variables = {},
    options: EvaluateDecisionOptions = {},
  ): Promise<DecisionEvaluation> {
    const byKey = typeof decision === 'object';
    const response = await (byKey ? this.decisionTarget(decision.decisionKey) : this.anyTarget()).submit({
      valueType: 'DECISION_EVALUATION',
      intent: 'EVALUATE',
      value: {
        decisionId: byKey ? '' : decision,
        decisionKey: byKey ? decision.decisionKey : '-1',
        version: -1,
        variables,
        output: null,
        evaluatedDecisions: [],
        failureMessage: '',
        elementInstanceKey: '-1',
        processInstanceKey: '-1',
      },
    });
    if (response.valueType !== 'DECISION_EVALUATION')
      throw new BatonError('PROCESSING_ERROR', 'unexpected answer');
    const v = response.value;
    if (response.intent === 'FAILED' && options.failure !== 'answer')
      throw new BatonError('INVALID_ARGUMENT', v.failureMessage);
    return {
      decisionEvaluationKey: response.key,
      decisionId: v.decisionId,
      decisionName: v.decisionName ?? v.decisionId,
      decisionKey: v.decisionKey,
      version: v.version,
      decisionRequirementsId: v.decisionRequirementsId ?? '',
      decisionRequirementsKey: v.decisionRequirementsKey ?? '-1',
      output: v.output,
      evaluatedDecisions: v.evaluatedDecisions,
      ...(response.intent === 'FAILED'
        ? { failedDecisionId: v.failedDecisionId ?? v.decisionId, failureMessage: v.failureMessage }
        : {}),
    };
  }

  /**
   * Open Camunda user tasks (`zeebe:userTask`), filtered; at most `limit` (default 100), oldest first.
   * Job-based user tasks are jobs of type `io.camunda.zeebe:userTask` instead.
   */
  userTasks(filter: UserTaskFilter = {}): UserTask[] {
    const out: UserTask[] = [];
    const limit = filter.limit ?? 100;
    for (const partition of this.partitions) {
      for (const task of partition.engineState.userTasks()) {
        const v = task.value;
        if (filter.assignee !== undefined && v.assignee !== filter.assignee) continue;
        if (filter.candidateGroup !== undefined && !v.candidateGroups.includes(filter.candidateGroup))
          continue;
        if (filter.candidateUser !== undefined && !v.candidateUsers.includes(filter.candidateUser)) continue;
        if (filter.processInstanceKey !== undefined && v.processInstanceKey !== filter.processInstanceKey)
          continue;
        if (filter.elementId !== undefined && v.elementId !== filter.elementId) continue;
        out.push({ key: task.key, ...v });
        if (out.length >= limit) return out;
      }
    }
    return out;
  }

  /**
   * The start form of a process definition: the latest version of the form its none start event links to
   * (`zeebe:formDefinition formId`), as Camunda's REST API resolves it. NOT_FOUND when there is no such
   * definition; undefined when it links no deployed form.
   */
  async startForm(processDefinitionKey: string): Promise<Form | undefined> {
    const here = this.partitions.find((p) => p.engineState.processByKey(processDefinitionKey));
    const home = isKey(processDefinitionKey) ? partitionOfKey(processDefinitionKey) : 0;
    // In a cluster a definition the partitions here do not have is asked of the partition it was deployed on.
    if (here || !this.remote || home < 1 || home > this.partitionCount || this.hosted(home))
      return startFormOf((here ?? this.first).engineState, processDefinitionKey);
    return formAnswer(await this.readOn(home, { kind: 'start-form', processDefinitionKey }));
  }

  /**
   * The linked form of an open Camunda user task (`zeebe:formDefinition formId`, resolved to a form key when
   * the task was created). NOT_FOUND when there is no such task; undefined when it has no linked form.
   */
  async userTaskForm(userTaskKey: string): Promise<Form | undefined> {
    const id = this.partitionIdOf(userTaskKey, 'user task');
    return formAnswer(await this.readOn(id, { kind: 'user-task-form', userTaskKey }));
  }

  /** Assigns a user task to someone (or, with `undefined`, unassigns it), whoever had it. */
  async assignUserTask(userTaskKey: string, assignee: string | undefined): Promise<void> {
    await this.userTaskCommand(userTaskKey, {
      valueType: 'USER_TASK',
      intent: 'ASSIGN',
      value: { assignee: assignee ?? '' },
    });
  }

  /** Claims a user task: fails with INVALID_STATE when someone else already has it. */
  async claimUserTask(userTaskKey: string, assignee: string): Promise<void> {
    await this.userTaskCommand(userTaskKey, { valueType: 'USER_TASK', intent: 'CLAIM', value: { assignee } });
  }

  async completeUserTask(userTaskKey: string, variables: Variables = {}): Promise<void> {
    await this.userTaskCommand(userTaskKey, {
      valueType: 'USER_TASK',
      intent: 'COMPLETE',
      value: { variables },
    });
  }

  /**
   * Changes an open user task's due date, follow-up date (ISO 8601, "" clears), candidate groups and users,
   * or priority (0 to 100); what the changes leave out keeps its value.
   */
  async updateUserTask(userTaskKey: string, changes: UserTaskChanges): Promise<void> {
    await this.userTaskCommand(userTaskKey, { valueType: 'USER_TASK', intent: 'UPDATE', value: changes });
  }

  private userTaskCommand(key: string, body: Extract<CommandBody, { valueType: 'USER_TASK' }>) {
    return this.commandTarget(key, 'user task').submit(body, key);
  }

  /** Sets variables on an element instance's scope; `local` keeps them there instead of propagating. */
  async setVariables(
    scopeKey: string,
    variables: Variables,
    options: { local?: boolean } = {},
  ): Promise<{ key: string }> {
    const response = await this.commandTarget(scopeKey, 'element instance').submit({
      valueType: 'VARIABLE_DOCUMENT',
      intent: 'UPDATE',
      value: { scopeKey, variables, updateSemantics: options.local ? 'LOCAL' : 'PROPAGATE' },
    });
    // The key of the variable document, as Zeebe answers SetVariables.
    return { key: response.key };
  }

  /** Resolves an incident: the failed step is retried (for a job incident, update the retries first). */
  async resolveIncident(incidentKey: string): Promise<void> {
    await this.commandTarget(incidentKey, 'incident').submit(
      { valueType: 'INCIDENT', intent: 'RESOLVE', value: {} },
      incidentKey,
    );
  }

  /**
   * Creates a batch operation over the process instances a `/v2` process-instance filter finds (Camunda 8.8's
   * batch operations): cancel them, resolve their incidents, migrate or modify them. It runs once an item
   * source is attached (`runBatchOperations`, which the gateway does with its read model).
   */
  async createBatchOperation(
    operation: BatchOperationCreationValue,
  ): Promise<{ batchOperationKey: string; batchOperationType: BatchOperationType }> {
    const response = await this.anyTarget().submit({
      valueType: 'BATCH_OPERATION',
      intent: 'CREATE',
      value: operation,
    });
    return { batchOperationKey: response.key, batchOperationType: operation.batchOperationType };
  }

  /** Suspends a running batch operation: no further item is acted on until it is resumed. */
  async suspendBatchOperation(batchOperationKey: string): Promise<void> {
    await this.batchOperationCommand(batchOperationKey, 'SUSPEND');
  }

  /** Resumes a suspended batch operation. */
  async resumeBatchOperation(batchOperationKey: string): Promise<void> {
    await this.batchOperationCommand(batchOperationKey, 'RESUME');
  }

  /** Cancels a batch operation: the items not acted on yet are cancelled. */
  async cancelBatchOperation(batchOperationKey: string): Promise<void> {
    await this.batchOperationCommand(batchOperationKey, 'CANCEL');
  }

  private batchOperationCommand(key: string, intent: 'SUSPEND' | 'RESUME' | 'CANCEL') {
    return this.commandTarget(key, 'batch operation').submit(
      { valueType: 'BATCH_OPERATION', intent, value: {} },
      key,
    );
  }

  /**
   * A batch operation of any partition, with its items, or undefined: in a cluster one of a partition led
   * elsewhere is asked of its leader (UNAVAILABLE when none answers within ten seconds).
   */
  async getBatchOperation(batchOperationKey: string): Promise<Readonly<BatchOperation> | undefined> {
    const id = isKey(batchOperationKey) ? partitionOfKey(batchOperationKey) : 0;
    if (id < 1 || id > this.partitionCount) return undefined;
    const partition = this.hosted(id);
    if (partition || !this.remote) return this.batchOperation(batchOperationKey);
    const answer = await this.readOn(id, { kind: 'batch-operation', batchOperationKey });
    return answer ? fromWire(answer as BatchOperationOnWire) : undefined;
  }

  /**
   * The batch operations of every partition, oldest first per partition (their items only `withItems`): in a
   * cluster those of the partitions led elsewhere are asked of their leaders, and a partition whose leader
   * does not answer within ten seconds makes the call fail with UNAVAILABLE naming it.
   */
  async listBatchOperations(options: { withItems?: boolean } = {}): Promise<Readonly<BatchOperation>[]> {
    if (!this.remote) return this.batchOperations();
    const read = { kind: 'batch-operations', withItems: options.withItems ?? false } as const;
    const ids = Array.from({ length: this.partitionCount }, (_, i) => i + 1);
    const lists = await Promise.all(
      ids.map(async (id) => {
        const partition = this.hosted(id);
        if (partition) return [...partition.engineState.batchOperations.all()];
        return ((await this.readOn(id, read)) as BatchOperationOnWire[]).map(fromWire);
      }),
    );
    return lists.flat();
  }

  /** A batch operation of a partition hosted here, with its items, or undefined. */
  batchOperation(batchOperationKey: string): Readonly<BatchOperation> | undefined {
    for (const partition of this.partitions) {
      const operation = partition.engineState.batchOperations.get(batchOperationKey);
      if (operation) return operation;
    }
    return undefined;
  }

  /** The batch operations of the partitions hosted here, oldest first per partition. */
  batchOperations(): Readonly<BatchOperation>[] {
    return this.partitions.flatMap((p) => [...p.engineState.batchOperations.all()]);
  }

  /**
   * Runs the batch operations of the partitions hosted here, finding their items through `source` (the read
   * model): unfinished ones are taken up at once, new ones as they are created. Returns a function that
   * detaches the source (operations then wait).
   */
  runBatchOperations(source: BatchOperationItemSource): () => void {
    return this.batches.start(source);
  }

  /** Starts an in-process job worker; `close()` on the engine stops it too. */
  createWorker<V extends Variables = Variables>(options: JobWorkerOptions<V>): JobWorker {
    const worker = startJobWorker(this, options, () => this.workers.delete(worker));
    this.workers.add(worker);
    return worker;
  }

  /** Calls the listener with every batch of records once it is durable, in log order per partition. */
  onRecords(listener: (records: readonly LoggedRecord[]) => void): () => void {
    const offs = this.partitions.map((p) => p.onCommit(listener));
    const entry = { listener, offs };
    this.recordListeners.add(entry);
    return () => {
      this.recordListeners.delete(entry);
      entry.offs.forEach((off) => off());
    };
  }

  /**
   * Adds an exporter to a running engine (`createEngine({ exporters })` is the usual way): it is opened on
   * every partition and catches up from the position it acknowledged before. Resolves with a function that
   * removes it again (and closes it); its acknowledged position keeps holding the log until the engine closes.
   */
  async addExporter(exporter: Exporter): Promise<() => Promise<void>> {
    checkExporter(exporter);
    if (this.closing) throw new BatonError('UNAVAILABLE', 'the engine is closed');
    if (this.exporters.has(exporter.id))
      throw new BatonError('ALREADY_EXISTS', `an exporter with id '${exporter.id}' is already added`);
    this.exporters.set(exporter.id, exporter);
    const opened: PartitionRuntime[] = [];
    for (const partition of this.partitions) {
      try {
        await partition.exporters.add(exporter);
        opened.push(partition);
      } catch (error) {
        await Promise.all(opened.map((p) => p.exporters.remove(exporter.id)));
        this.exporters.delete(exporter.id);
        await Promise.resolve(exporter.close()).catch(() => undefined);
        throw new Error(
          `exporter '${exporter.id}' could not be opened on partition ${partition.partitionId}: ${(error as Error)?.message ?? String(error)}`,
          { cause: error },
        );
      }
    }
    let removing: Promise<void> | undefined;
    return () =>
      (removing ??= (async () => {
        if (this.exporters.get(exporter.id) !== exporter) return;
        await Promise.all(this.partitions.map((p) => p.exporters.remove(exporter.id)));
        this.exporters.delete(exporter.id);
        await exporter.close();
      })());
  }

  /**
   * The partitions and their roles: this process leads those it hosts (all of them, outside a cluster), each
   * HEALTHY while it can write.
   */
  topology(): EngineTopology {
    const unhealthy = new Set(
      this.health()
        .partitions.filter((p) => !p.healthy)
        .map((p) => p.partitionId),
    );
    return {
      partitionsCount: this.partitionCount,
      partitions: this.partitions.map((p) => ({
        partitionId: p.partitionId,
        role: 'LEADER' as const,
        health: unhealthy.has(p.partitionId) ? ('UNHEALTHY' as const) : ('HEALTHY' as const),
      })),
      storage: this.storage,
    };
  }

  /**
   * In a cluster, every live node with the partitions it leads and their health (each node answers for its
   * own); undefined for an engine that is not a cluster node.
   */
  async clusterTopology(): Promise<ClusterTopology | undefined> {
    if (!this.remote) return undefined;
    return {
      partitionsCount: this.partitionCount,
      nodes: await this.remote.topology(this.topology().partitions),
    };
  }

  /**
   * What every partition holds and does now: positions, queue and back-pressure, counts of element instances,
   * jobs and incidents, activatable jobs of the `jobTypes` asked for, and each exporter's position and lag.
   */
  stats(options: { jobTypes?: readonly string[] } = {}): EngineStats {
    return {
      partitions: this.partitions.map((p) => {
        const state = p.engineState;
        const counts = state.counts;
        const activatableJobs: Record<string, number> = {};
        for (const type of options.jobTypes ?? []) {
          let n = 0;
          for (const _ of state.activatableJobs(type)) n++;
          activatableJobs[type] = n;
        }
        return {
          partitionId: p.partitionId,
          lastPosition: state.lastPosition,
          queuedCommands: p.queuedCommands,
          backPressure: p.backPressure,
          elementInstances: counts.elementInstances,
          jobs: counts.jobs,
          openIncidents: counts.incidents,
          activatableJobs,
          exporters: p.exporters.stats(),
        };
      }),
    };
  }

  /** The latest version of every deployed process, with its BPMN XML. */
  latestProcessModels(): ProcessModel[] {
    return (this.partitions[0]?.engineState.latestProcesses() ?? []).map((p) => ({
      processDefinitionKey: p.key,
      bpmnProcessId: p.bpmnProcessId,
      version: p.version,
      resourceName: p.resourceName,
      resource: p.resource,
    }));
  }

  /** Waits until every queued command is processed and durable. */
  async flush(): Promise<void> {
    await Promise.all(this.partitions.map((p) => p.flush()));
  }

  /** Stops workers, finishes in-flight batches, snapshots and releases the store. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      // A deployment still compiling is abandoned (its caller gets UNAVAILABLE): shutdown does not wait for it.
      await this.compiler.close();
      await this.batches.stop();
      await Promise.all([...this.workers].map((w) => w.close()));
      this.jobs.wakeAll();
      // Hand-overs stop first: what the closing partitions cannot take is handed over on the next start.
      this.handOvers.stop();
      await Promise.all(this.partitions.map((p) => p.close()));
      for (const [id, exporter] of this.exporters) {
        try {
          await exporter.close();
        } catch (error) {
          process.emitWarning(
            `exporter '${id}' failed to close: ${(error as Error)?.message ?? String(error)}`,
            'BatonWarning',
          );
        }
      }
      this.exporters.clear();
      this.results.rejectAll(new BatonError('UNAVAILABLE', 'the engine was closed'));
      await this.factory.close();
    })();
    return this.closing;
  }

  /**
   * Where a decision is evaluated by key: a partition here that has it (deployments reach every partition),
   * else the partition it was deployed on, through its leader in a cluster.
   */
  private decisionTarget(decisionKey: string): CommandTarget {
    const here = this.partitions.find((p) => p.engineState.decisionByKey(decisionKey));
    return here ?? this.commandTarget(decisionKey, 'decision');
  }

  private pickPartition(): PartitionRuntime {
    if (this.partitions.length === 0)
      throw new BatonError('UNAVAILABLE', 'this engine hosts no partition at the moment');
    return this.partitions[this.nextPartition++ % this.partitions.length]!;
  }

  /**
   * Where a new instance starts (or a batch operation, or a decision is evaluated by id): the partitions here
   * in turn; in a cluster, while this node leads none (a moment between two leaders, or more nodes than
   * partitions), any partition through its leader.
   */
  private anyTarget(): CommandTarget {
    if (this.partitions.length > 0 || !this.remote) return this.pickPartition();
    return this.commandTargetById((this.nextPartition++ % this.partitionCount) + 1);
  }

  /** The first hosted partition, whose state answers questions about deployed definitions and forms. */
  private get first(): PartitionRuntime {
    const first = this.partitions[0];
    if (!first) throw new BatonError('UNAVAILABLE', 'this engine hosts no partition at the moment');
    return first;
  }

  /**
   * Where deployments, signals and resource deletions start: the first hosted partition; in a cluster, while
   * this node leads none, any partition through its leader.
   */
  private get firstTarget(): CommandTarget {
    return this.partitions.length > 0 || !this.remote ? this.first : this.anyTarget();
  }

  private partitionById(id: number): PartitionRuntime {
    const partition = this.hosted(id);
    if (!partition)
      throw new BatonError('UNAVAILABLE', `partition ${id} is not hosted by this engine at the moment`);
    return partition;
  }

  /** Where a command for partition `id` goes: the partition here, or its leader on another node. */
  private commandTargetById(id: number): CommandTarget {
    const partition = this.hosted(id);
    if (partition) return partition;
    const remote = this.remote;
    if (!remote) return this.partitionById(id);
    const local = () => {
      const partition = this.hosted(id);
      return partition && ((body: CommandBody, key: string) => partition.submit(body, key));
    };
    return { submit: (body, key = '-1') => remote.submit(id, body, key, local) };
  }

  private commandTarget(key: string, what: string): CommandTarget {
    return this.commandTargetById(this.partitionIdOf(key, what));
  }

  /** The partition a key belongs to; NOT_FOUND, naming what it should be, for what is not a key of the engine. */
  private partitionIdOf(key: string, what: string): number {
    const id = isKey(key) ? partitionOfKey(key) : 0;
    if (id < 1 || id > this.partitionCount)
      throw new BatonError('NOT_FOUND', `Expected a ${what} key, but '${key}' is not a key of this engine`);
    return id;
  }

  /** Answers a read of partition `id`'s state: here, or by its leader on another node. */
  private async readOn(id: number, read: PartitionRead): Promise<PartitionReadAnswer> {
    const partition = this.hosted(id);
    const remote = this.remote;
    if (partition || !remote) return answerRead(this.partitionById(id).engineState, read);
    const local = () => {
      const partition = this.hosted(id);
      return partition && (() => answerRead(partition.engineState, read));
    };
    return remote.read(id, read, local);
  }
}

/** Refuses what cannot be an exporter, naming what is missing. */
function checkExporter(exporter: Exporter): void {
  if (typeof exporter !== 'object' || exporter === null)
    throw new BatonError('INVALID_ARGUMENT', `an exporter must be an object, got ${String(exporter)}`);
  if (typeof exporter.id !== 'string' || exporter.id.length === 0)
    throw new BatonError(
      'INVALID_ARGUMENT',
      `an exporter needs a non-empty string id, got ${String(exporter.id)}`,
    );
  for (const method of ['open', 'export', 'close'] as const) {
    if (typeof exporter[method] !== 'function')
      throw new BatonError('INVALID_ARGUMENT', `exporter '${exporter.id}' has no ${method}() method`);
  }
}

function instanceOf(response: LoggedRecord): ProcessInstance {
  if (response.valueType !== 'PROCESS_INSTANCE_CREATION')
    throw new BatonError('PROCESSING_ERROR', 'unexpected answer');
  const { processInstanceKey, bpmnProcessId, version, processDefinitionKey } = response.value;
  return { processInstanceKey, bpmnProcessId, version, processDefinitionKey };
}

function formAnswer(answer: PartitionReadAnswer): Form | undefined {
  return (answer as Form | null) ?? undefined;
}
