import type { ActivatedJob, CommandBody, LoggedRecord } from '@baton-engine/engine';
import type { ClusterTopologyNode, NodePartition } from '../api-types.js';
import type { ActivateJobsRequest } from './job-dispatcher.js';

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
  /** Activates jobs on the partitions the other nodes lead, without waiting for any. */
  activateJobs(request: Omit<ActivateJobsRequest, 'signal' | 'requestTimeout'>): Promise<ActivatedJob[]>;
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
}

/** Submits a command to a partition of this process. */
export type LocalSubmit = (body: CommandBody, key: string) => Promise<LoggedRecord>;
