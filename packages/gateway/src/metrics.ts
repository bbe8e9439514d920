import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { Engine } from '@baton-engine/baton';

/** More text in the Prometheus exposition format to append (e.g. the connectors' metrics). */
export type MetricsSource = () => string;

/**
 * Prometheus metrics of an engine (served at `GET /metrics`): what was committed, by value type, intent and
 * record type; what each partition holds and has queued; and Node's own process metrics.
 */
export class EngineMetrics {
  readonly registry = new Registry();
  private readonly off: () => void;

  constructor(
    engine: Engine,
    private readonly extra: readonly MetricsSource[] = [],
  ) {
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

  /** The exposition text: the engine's metrics and every extra source. */
  async text(): Promise<string> {
    return [await this.registry.metrics(), ...this.extra.map((source) => source())].join('\n');
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  close(): void {
    this.off();
  }
}
