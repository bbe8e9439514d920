import type { ActivatedJob, CommandBody, LoggedRecord } from '@baton-engine/engine';
import type {
  ClusterTopologyNode,
  CreateInstanceWithResultOptions,
  InstanceResult,
  NodePartition,
  Variables,
} from '../api-types.js';
import type { ActivateJobsRequest } from './job-dispatcher.js';
import type { PartitionRead, PartitionReadAnswer } from './partition-reads.js';

/**
 * The partitions this process does not lead, reached through their leaders on other nodes (a cluster). A
 * command is answered as the leader's partition answers it; a failure is a `BatonError` (UNAVAILABLE while no
 * leader can be reached, after retrying across a leader change).
 */
export interface RemotePartitions {
  /**
   * `local` says whether this process leads the partition by now (a takeover finished while the command
   * waited); the command then goes there instead.
   */
  submit(
    partitionId: number,
    body: CommandBody,
    key: string,
    local: () => LocalSubmit | undefined,
  ): Promise<LoggedRecord>;
  /**
   * Creates an instance on a node that leads partitions and waits there for its result (for a node that
   * leads none). A node that answers it leads none is passed over; an answer lost on the way is UNAVAILABLE
   * (the instance may have been created).
   */
  createInstanceWithResult(
    bpmnProcessId: string,
    variables: Variables,
    options: CreateInstanceWithResultOptions,
  ): Promise<InstanceResult>;
  /** Activates jobs on the partitions the other nodes lead, without waiting for any. */
  activateJobs(request: Omit<ActivateJobsRequest, 'signal' | 'requestTimeout'>): Promise<ActivatedJob[]>;
  /**
   * Long-polls every other node that leads partitions (and those that come to lead some meanwhile) for up to
   * `waitMs`: each holds the request until it has jobs of the type or the time is up. Resolves once a node
   * answered with jobs (the others are told to stop, and what they activated before they did is included: the
   * result may hold more than `maxJobsToActivate`), when the time is up, or once `signal` aborted (with the
   * jobs the nodes answered until then).
   */
  pollJobs(
    request: Omit<ActivateJobsRequest, 'signal' | 'requestTimeout'>,
    waitMs: number,
    signal: AbortSignal,
  ): Promise<ActivatedJob[]>;
  /**
   * Opens the job stream on every other node that leads partitions (and on those that come to lead some
   * while it is open): each activates jobs of the type as they become activatable there and pushes them
   * here, to `deliver`, which is awaited before that node's next jobs are read. Resolves once `signal` aborted
   * and every node's stream is closed; a node that cannot be reached is tried again.
   */
  streamJobs(
    request: JobStreamRequest,
    deliver: (jobs: ActivatedJob[]) => Promise<void>,
    signal: AbortSignal,
  ): Promise<void>;
  /**
   * Every live node with the partitions it leads, as each node answers for itself; `local` is what this node
   * serves. A node that does not answer is listed with the partitions the cluster says it leads, UNHEALTHY.
   */
  topology(local: readonly NodePartition[]): Promise<ClusterTopologyNode[]>;
  /**
   * The running instances of a process definition on `partitions` (led elsewhere), each asked of its leader.
   * UNAVAILABLE, naming it, when a partition has no leader that answers.
   */
  runningInstancesOf(processDefinitionKey: string, partitions: readonly number[]): Promise<number>;
  /**
   * Asks the leader of a partition led elsewhere about its state (a form, a batch operation), tried again
   * across a leader change like `submit`; `local` answers it here once this process leads the partition.
   */
  read(
    partitionId: number,
    read: PartitionRead,
    local: () => (() => PartitionReadAnswer) | undefined,
  ): Promise<PartitionReadAnswer>;
}

/** What a job stream asks for: jobs of a type, activated for a worker with a timeout, a batch at a time. */
export type JobStreamRequest = Omit<ActivateJobsRequest, 'signal' | 'requestTimeout' | 'localOnly'>;

/** Submits a command to a partition of this process. */
export type LocalSubmit = (body: CommandBody, key: string) => Promise<LoggedRecord>;
