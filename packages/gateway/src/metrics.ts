import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { Engine } from '@baton-engine/baton';

/**
 * Prometheus metrics of an engine (served at `GET /metrics`): what was committed, by value type, intent and
 * record type; what each partition holds and has queued; and Node's own process metrics. Other parts (the
 * connectors) register theirs in the same `registry`, so that one endpoint shows everything.
 */
export class EngineMetrics {
  readonly registry = new Registry();
  private readonly off: () => void;

  constructor(engine: Engine) {
    collectDefaultMetrics({ register: this.registry, prefix: 'baton_' });
    const records = new Counter({
      name: 'baton_records_committed_total',
      help: 'Records committed to the log, by partition, record type, value type and intent',
      labelNames: ['partition', 'record_type', 'value_type', 'intent'] as const,
      registers: [this.registry],
    });
    const rejections = new Counter({
      name: 'baton_commands_rejected_total',
      help: 'Commands refused, by partition, value type and rejection reason',
      labelNames: ['partition', 'value_type', 'reason'] as const,
      registers: [this.registry],
    });
    const partitions = engine.partitionRuntimes;
    const perPartition = (name: string, help: string, read: (p: (typeof partitions)[number]) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ['partition'] as const,
        registers: [this.registry],
        collect() {
          for (const p of partitions) this.set({ partition: String(p.partitionId) }, read(p));
        },
      });
    perPartition(
      'baton_queued_commands',
      'Commands waiting for the partition (back-pressure beyond the limit)',
      (p) => p.queuedCommands,
    );
    perPartition(
      'baton_in_flight_commands',
      'Commands taken by the partition and not yet answered (queued, processed or being written)',
      (p) => p.backPressure.inFlight,
    );
    perPartition(
      'baton_back_pressure_limit',
      'In-flight limit past which commands are refused with RESOURCE_EXHAUSTED (adapts to latency; 0 when off)',
      (p) => p.backPressure.limit ?? 0,
    );
    perPartition(
      'baton_back_pressure_refused',
      'Commands refused by the in-flight limit since the partition opened (a counter)',
      (p) => p.backPressure.refused,
    );
    perPartition(
      'baton_element_instances',
      'Active element instances (process instances included)',
      (p) => p.engineState.counts.elementInstances,
    );
    perPartition(
      'baton_jobs',
      'Jobs that exist (activatable, activated or in back-off)',
      (p) => p.engineState.counts.jobs,
    );
    perPartition('baton_open_incidents', 'Open incidents', (p) => p.engineState.counts.incidents);
    perPartition(
      'baton_last_position',
      'Position of the last record written to the partition log',
      (p) => p.engineState.lastPosition,
    );
    this.off = engine.onRecords((batch) => {
      for (const r of batch) {
        const partition = String(r.partitionId);
        records.inc({ partition, record_type: r.recordType, value_type: r.valueType, intent: r.intent });
        if (r.recordType === 'COMMAND_REJECTION') {
          rejections.inc({ partition, value_type: r.valueType, reason: r.rejectionType ?? 'UNKNOWN' });
        }
      }
    });
  }

  /** The exposition text of every metric in the registry. */
  async text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  close(): void {
    this.off();
  }
}
