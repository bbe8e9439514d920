// Only the engine's public API: the harness drives the engine as the runtime does, so that refactoring its
// internals cannot break the tests written on it.
import type {
  ActivatedJob,
  ActivateInstruction,
  DeploymentRecordValue,
  DeploymentResource,
  ExecutableDrg,
  ExecutableProcess,
  JobResult,
  LoggedRecord,
  ReadonlyEngineState,
  CommandBody,
} from '../index.js';
import { dueItemCommand, EngineState, parseBpmn, parseDmn, StreamProcessor } from '../index.js';
import { RecordStream, describeRecord } from './record-stream.js';

/**
 * A model to deploy: BPMN (or DMN) XML, a named resource, or anything with `toSemanticXml()` — a
 * `BuiltProcess` of `@baton-engine/builder`, taken by its shape so that the engine does not depend on it.
 */
export type ModelSource =
  string | DeploymentResource | { readonly id?: string; toSemanticXml(): Promise<string> };

export interface EngineHarnessOptions {
  /** The partition the harness plays (default 1); keys carry it in their high bits. */
  readonly partitionId?: number;
  /** Where the controllable clock starts (default 2030-01-01T00:00:00Z). */
  readonly startTime?: number;
  /**
   * After every call, replay the whole log onto an empty state and check it equals the live one (default
   * true): each element test is then also a test that state changes only through events. Off for long runs.
   */
  readonly verifyReplay?: boolean;
}

/**
 * What one call produced: the command as logged, then every record it caused, in position order; plus the
 * answer to the command (an event, or the rejection).
 */
export class CommandResult extends RecordStream {
  constructor(
    records: readonly LoggedRecord[],
    /** The event or rejection that answers the command; undefined for a call that issued none (no timer due). */
    readonly response: LoggedRecord | undefined,
  ) {
    super(records);
  }

  /** The rejection of the command, if it was refused. */
  get rejection(): LoggedRecord | undefined {
    return this.response?.recordType === 'COMMAND_REJECTION' ? this.response : undefined;
  }

  /** The answer; throws with the rejection's type and reason when the command was refused. */
  accepted(): LoggedRecord {
    if (this.rejection)
      throw new Error(`Expected the command to be accepted, but ${describeRecord(this.rejection)}`);
    if (!this.response) throw new Error('Expected the command to be answered, but it was not');
    return this.response;
  }
}

/** A deployment's answer with the keys of what it deployed. */
export class DeploymentResult extends CommandResult {
  /** The definition key per BPMN process id (of this deployment). */
  get processDefinitionKeys(): Record<string, string> {
    const created = this.accepted();
    if (created.valueType !== 'DEPLOYMENT') return {};
    return Object.fromEntries(
      created.value.processesMetadata.map((p) => [p.bpmnProcessId, p.processDefinitionKey]),
    );
  }
}

/** A creation's answer with the new instance's key. */
export class InstanceResult extends CommandResult {
  /** The new process instance's key; throws with the reason when the creation was refused. */
  get processInstanceKey(): string {
    const created = this.accepted();
    return created.valueType === 'PROCESS_INSTANCE_CREATION' ? created.value.processInstanceKey : created.key;
  }
}

const DEFAULT_START_TIME = Date.UTC(2030, 0, 1);
/** Due items fired by one `advanceTime` before it gives up (a timer that keeps falling due: a bug). */
const MAX_DUE_ROUNDS = 10_000;

/**
 * A synchronous engine for tests, in the spirit of Zeebe's `EngineRule` with its `RecordingExporter`: the
 * engine's own `StreamProcessor` over an in-memory `EngineState`, with a clock that moves only when told and
 * keys that follow from the partition id. Each call submits one command, processes it and everything it
 * causes before returning, and returns those records; `records` holds the whole log so far. Nothing runs in
 * the background: no store, no scheduler, no threads. Deploying parses XML, which is asynchronous; every
 * other call is synchronous.
 */
export class EngineHarness {
  private readonly engineState: EngineState;
  private readonly processor: StreamProcessor;
  private readonly log: LoggedRecord[] = [];
  private clock: number;
  private resourceCount = 0;
  private readonly verifyReplay: boolean;

  constructor(options: EngineHarnessOptions = {}) {
    this.engineState = new EngineState(options.partitionId ?? 1);
    this.processor = new StreamProcessor(this.engineState);
    this.clock = options.startTime ?? DEFAULT_START_TIME;
    this.verifyReplay = options.verifyReplay ?? true;
  }

  /** Every record written so far, in log order (a copy: later calls do not change it). */
  get records(): RecordStream {
    return new RecordStream(this.log.slice());
  }

  /** The working state, read-only: for what the record stream cannot say (which jobs are activatable …). */
  get state(): ReadonlyEngineState {
    return this.engineState;
  }

  /** The harness clock (ms since the epoch): commands are stamped with it. */
  now(): number {
    return this.clock;
  }

  /** Submits any command (the key it addresses, or "-1") and processes it with its follow-ups. */
  command(body: CommandBody, key = '-1'): CommandResult {
    return this.submit(body, key, CommandResult);
  }

  /** Deploys models in one deployment; a model that does not parse is refused (see `rejection`). */
  async deploy(...models: ModelSource[]): Promise<DeploymentResult> {
    if (models.length === 0) throw new Error('Expected at least one model to deploy, but got none');
    const resources = await Promise.all(models.map((m) => this.resourceOf(m)));
    const value = await compileResources(resources);
    return this.submit({ valueType: 'DEPLOYMENT', intent: 'CREATE', value }, '-1', DeploymentResult);
  }

  /** Creates an instance of the latest version of a process (or of `processDefinitionKey`). */
  createInstance(
    bpmnProcessId: string,
    variables: Record<string, unknown> = {},
    options: { processDefinitionKey?: string; version?: number; startBefore?: readonly string[] } = {},
  ): InstanceResult {
    const body: CommandBody = {
      valueType: 'PROCESS_INSTANCE_CREATION',
      intent: 'CREATE',
      value: {
        bpmnProcessId,
        version: options.version ?? -1,
        processDefinitionKey: options.processDefinitionKey ?? '-1',
        variables,
        processInstanceKey: '-1',
        fetchVariables: [],
        ...(options.startBefore?.length
          ? { startInstructions: options.startBefore.map((elementId) => ({ elementId })) }
          : {}),
      },
    };
    return this.submit(body, '-1', InstanceResult);
  }

  cancelInstance(processInstanceKey: string): CommandResult {
    return this.command(
      { valueType: 'PROCESS_INSTANCE', intent: 'CANCEL', value: {} as never },
      processInstanceKey,
    );
  }

  /** Activates up to `maxJobs` jobs of a type (deadline: now + `timeout`) and returns them. */
  activateJobs(
    type: string,
    options: { maxJobs?: number; timeout?: number; worker?: string; fetchVariables?: readonly string[] } = {},
  ): ActivatedJob[] {
    const result = this.command({
      valueType: 'JOB_BATCH',
      intent: 'ACTIVATE',
      value: {
        type,
        worker: options.worker ?? 'test-worker',
        timeout: options.timeout ?? 60_000,
        maxJobsToActivate: options.maxJobs ?? 100,
        fetchVariables: options.fetchVariables ?? [],
        jobs: [],
        truncated: false,
      },
    });
    const batch = result.accepted();
    return batch.valueType === 'JOB_BATCH' ? [...batch.value.jobs] : [];
  }

  /** The key of the one activatable job of this type (throws when there is none or several). */
  jobKey(type: string): string {
    return this.records
      .job()
      .withIntent('CREATED')
      .withJobType(type)
      .filter((r) => this.engineState.job(r.key) !== undefined)
      .only(`one open job of type '${type}'`).key;
  }

  completeJob(jobKey: string, variables: Record<string, unknown> = {}, result?: JobResult): CommandResult {
    return this.jobCommand(jobKey, 'COMPLETE', { variables, ...(result ? { result } : {}) });
  }

  failJob(
    jobKey: string,
    options: {
      retries: number;
      errorMessage?: string;
      retryBackoff?: number;
      variables?: Record<string, unknown>;
    },
  ): CommandResult {
    return this.jobCommand(jobKey, 'FAIL', {
      retries: options.retries,
      errorMessage: options.errorMessage ?? '',
      retryBackoff: options.retryBackoff ?? 0,
      variables: options.variables ?? {},
    });
  }

  throwError(
    jobKey: string,
    errorCode: string,
    options: { errorMessage?: string; variables?: Record<string, unknown> } = {},
  ): CommandResult {
    return this.jobCommand(jobKey, 'THROW_ERROR', {
      errorCode,
      errorMessage: options.errorMessage ?? '',
      variables: options.variables ?? {},
    });
  }

  updateJobRetries(jobKey: string, retries: number): CommandResult {
    return this.jobCommand(jobKey, 'UPDATE_RETRIES', { retries });
  }

  publishMessage(
    name: string,
    correlationKey: string,
    variables: Record<string, unknown> = {},
    options: { timeToLive?: number; messageId?: string } = {},
  ): CommandResult {
    return this.command({
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
  }

  broadcastSignal(signalName: string, variables: Record<string, unknown> = {}): CommandResult {
    return this.command({
      valueType: 'SIGNAL',
      intent: 'BROADCAST',
      value: { signalName, variables, distributed: false },
    });
  }

  resolveIncident(incidentKey: string): CommandResult {
    return this.command({ valueType: 'INCIDENT', intent: 'RESOLVE', value: {} as never }, incidentKey);
  }

  setVariables(
    scopeKey: string,
    variables: Record<string, unknown>,
    options: { local?: boolean } = {},
  ): CommandResult {
    return this.command({
      valueType: 'VARIABLE_DOCUMENT',
      intent: 'UPDATE',
      value: { scopeKey, variables, updateSemantics: options.local ? 'LOCAL' : 'PROPAGATE' },
    });
  }

  modifyInstance(
    processInstanceKey: string,
    modification: {
      activate?: readonly ActivateInstruction[];
      terminate?: readonly string[];
    },
  ): CommandResult {
    return this.command({
      valueType: 'PROCESS_INSTANCE_MODIFICATION',
      intent: 'MODIFY',
      value: {
        processInstanceKey,
        activateInstructions: modification.activate ?? [],
        terminateInstructions: (modification.terminate ?? []).map((elementInstanceKey) => ({
          elementInstanceKey,
        })),
      },
    });
  }

  /**
   * Moves the clock forward and fires what fell due (timers, job deadlines and back-offs, message expiries),
   * as the runtime's scheduler does, each with the command the runtime would submit; returns their records.
   */
  advanceTime(ms: number): CommandResult {
    if (!(ms >= 0)) throw new Error(`Expected a time to advance by of at least 0 ms, but got ${ms}`);
    this.clock += ms;
    const from = this.log.length;
    let rounds = 0;
    for (;;) {
      const due = this.engineState.dueItems(this.clock, 1000);
      if (due.length === 0) break;
      for (const item of due) {
        if (++rounds > MAX_DUE_ROUNDS)
          throw new Error(`Expected due items to run out, but ${MAX_DUE_ROUNDS} fired at ${this.clock}`);
        const { records } = this.processor.process({
          body: dueItemCommand(item.kind),
          key: item.key,
          timestamp: this.clock,
        });
        this.log.push(...records);
      }
    }
    if (this.verifyReplay) this.assertReplayEqualsLive();
    return new CommandResult(this.log.slice(from), undefined);
  }

  /**
   * Replays the whole log onto an empty state, as recovery does, and throws unless that state equals the live
   * one (their snapshots compared): state changes only through events, so replay must give the same state.
   */
  assertReplayEqualsLive(): void {
    const replayed = new EngineState(this.engineState.partitionId);
    const processor = new StreamProcessor(replayed);
    for (const record of this.log) processor.replay(record);
    const live = this.engineState.toSnapshot();
    const again = replayed.toSnapshot();
    const at = live.findIndex((chunk, i) => chunk !== again[i]);
    if (at === -1 && live.length === again.length) return;
    const index = at === -1 ? Math.min(live.length, again.length) : at;
    throw new Error(
      `Expected the state replayed from ${this.log.length} records to equal the live state, but snapshot chunk ${index} differs:\n` +
        `  live:     ${(live[index] ?? '(none)').slice(0, 500)}\n  replayed: ${(again[index] ?? '(none)').slice(0, 500)}`,
    );
  }

  private jobCommand(
    jobKey: string,
    intent: 'COMPLETE' | 'FAIL' | 'THROW_ERROR' | 'UPDATE_RETRIES',
    value: object,
  ) {
    return this.command({ valueType: 'JOB', intent, value: value as never }, jobKey);
  }

  private submit<T extends CommandResult>(
    body: CommandBody,
    key: string,
    Result: new (records: readonly LoggedRecord[], response: LoggedRecord | undefined) => T,
  ): T {
    const { records, response } = this.processor.process({ body, key, timestamp: this.clock });
    this.log.push(...records);
    if (this.verifyReplay) this.assertReplayEqualsLive();
    return new Result(records, response);
  }

  private async resourceOf(model: ModelSource): Promise<DeploymentResource> {
    this.resourceCount += 1;
    if (typeof model === 'string')
      return { resourceName: `model-${this.resourceCount}.${isDmn(model) ? 'dmn' : 'bpmn'}`, content: model };
    if ('content' in model) return model;
    return {
      resourceName: `${model.id ?? `model-${this.resourceCount}`}.bpmn`,
      content: await model.toSemanticXml(),
    };
  }
}

function isDmn(content: string): boolean {
  return /<(dmn:)?definitions[^>]*DMN\//.test(content.slice(0, 2000));
}

/**
 * Parses and compiles BPMN and DMN resources into the DEPLOYMENT command's value, as the runtime does before it
 * submits the command (parsing is asynchronous, processing is not); a problem becomes `parseError`, which
 * processing turns into a rejection.
 */
async function compileResources(resources: readonly DeploymentResource[]): Promise<DeploymentRecordValue> {
  const compiled: ExecutableProcess[] = [];
  const resourceIndexes: number[] = [];
  const compiledDrgs: { resourceIndex: number; drg: ExecutableDrg }[] = [];
  const errors: string[] = [];
  for (const [index, resource] of resources.entries()) {
    if (/\.dmn$/i.test(resource.resourceName) || isDmn(resource.content)) {
      const drg = await parseDmn(resource.resourceName, resource.content);
      if (drg.ok) compiledDrgs.push({ resourceIndex: index, drg: drg.value });
      else errors.push(drg.message);
      continue;
    }
    const result = await parseBpmn(resource.resourceName, resource.content);
    if (!result.ok) {
      errors.push(result.message);
      continue;
    }
    for (const process of result.value) {
      compiled.push(process);
      resourceIndexes.push(index);
    }
  }
  return {
    resources,
    compiled,
    resourceIndexes,
    compiledDrgs,
    processesMetadata: [],
    ...(errors.length > 0 ? { parseError: errors.join('\n') } : {}),
  };
}
