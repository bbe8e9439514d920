import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { Engine, PartitionStats } from '@baton-engine/baton';

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
    const perPartition = (name: string, help: string, read: (p: PartitionStats) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ['partition'] as const,
        registers: [this.registry],
        collect() {
          for (const p of engine.stats().partitions) this.set({ partition: String(p.partitionId) }, read(p));
        },
      });
    const perExporter = (
      name: string,
      help: string,
      read: (e: PartitionStats['exporters'][number]) => number,
    ) =>
      new Gauge({
        name,
        help,
        labelNames: ['partition', 'exporter'] as const,
        registers: [this.registry],
        collect() {
          this.reset(); // an exporter removed since the last scrape is no longer shown
          for (const p of engine.stats().partitions) {
            for (const e of p.exporters)
              this.set({ partition: String(p.partitionId), exporter: e.exporterId }, read(e));
          }
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
      (p) => p.elementInstances,
    );
    perPartition('baton_jobs', 'Jobs that exist (activatable, activated or in back-off)', (p) => p.jobs);
    perPartition('baton_open_incidents', 'Open incidents', (p) => p.openIncidents);
    perPartition(
      'baton_last_position',
      'Position of the last record written to the partition log',
      (p) => p.lastPosition,
    );
    perExporter(
      'baton_exporter_lag_records',
      'Records committed after the position an exporter acknowledged (the log is kept for them)',
      (e) => e.lag,
    );
    perExporter('baton_exporter_position', 'Last log position an exporter acknowledged', (e) => e.position);
    perExporter(
      'baton_exporter_failed_attempts',
      'Failed export attempts in a row (0 while the exporter keeps up)',
      (e) => e.failedAttempts,
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
