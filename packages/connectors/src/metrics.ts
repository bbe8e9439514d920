import { Counter, Gauge, Registry } from 'prom-client';

type Labels = Readonly<Record<string, string>>;

/**
 * A counter or gauge with labels, registered with prom-client (which writes the exposition format); it keeps
 * its values for `get` too, which tests and logs read synchronously.
 */
export class Metric {
  private readonly values = new Map<string, { labels: Labels; value: number }>();
  private readonly exported: Counter | Gauge;

  constructor(
    registry: Registry,
    readonly name: string,
    readonly help: string,
    readonly type: 'counter' | 'gauge',
    labelNames: readonly string[],
    private readonly collect?: () => number,
  ) {
    const settings = { name, help, labelNames: [...labelNames], registers: [registry] };
    this.exported =
      type === 'counter'
        ? new Counter(settings)
        : new Gauge(
            collect
              ? {
                  ...settings,
                  collect() {
                    this.set(collect());
                  },
                }
              : settings,
          );
  }

  inc(labels: Labels = {}, by = 1): void {
    const key = keyOf(labels);
    const entry = this.values.get(key);
    if (entry) entry.value += by;
    else this.values.set(key, { labels, value: by });
    this.exported.inc(labels, by);
  }

  set(labels: Labels, value: number): void {
    this.values.set(keyOf(labels), { labels, value });
    (this.exported as Gauge).set(labels, value);
  }

  /** The value for these labels (0 when never touched), or the sum over all labels. */
  get(labels?: Labels): number {
    if (this.collect) return this.collect();
    if (labels) return this.values.get(keyOf(labels))?.value ?? 0;
    let sum = 0;
    for (const entry of this.values.values()) sum += entry.value;
    return sum;
  }

  /** @internal */
  samples(): { labels: Labels; value: number }[] {
    if (this.collect) return [{ labels: {}, value: this.collect() }];
    return [...this.values.values()];
  }
}

const keyOf = (labels: Labels) =>
  Object.entries(labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');

/**
 * The connectors' metrics (documented in docs/connectors.md). `toPrometheus()` gives the text exposition
 * format for a `/metrics` endpoint; `snapshot()` a flat object for logs and tests.
 */
export class ConnectorMetrics {
  readonly busConnected: Metric;
  readonly busDisconnects: Metric;
  readonly outboundPublished: Metric;
  readonly outboundPublishFailures: Metric;
  readonly outboundIncidents: Metric;
  readonly inboundReceived: Metric;
  readonly inboundCommitted: Metric;
  readonly inboundDuplicates: Metric;
  readonly inboundSkipped: Metric;
  readonly inboundDeadLettered: Metric;
  readonly inboundDropped: Metric;
  readonly inboundDeadLetterFailures: Metric;
  readonly inboundRetried: Metric;
  readonly outboundWaiting: Metric;

  /**
   * `registry`: where the metrics are registered, e.g. the gateway's (`EngineMetrics.registry`) so that one
   * `/metrics` shows both; a registry of their own by default.
   */
  constructor(
    waitingOutbound: () => number = () => 0,
    readonly registry: Registry = new Registry(),
  ) {
    this.busConnected = new Metric(
      registry,
      'baton_connectors_bus_connected',
      '1 while the connectors are connected to the bus, 0 while the broker is unreachable',
      'gauge',
      ['bus'],
    );
    this.busDisconnects = new Metric(
      registry,
      'baton_connectors_bus_disconnects_total',
      'Times the connection to the bus was lost',
      'counter',
      ['bus'],
    );
    this.outboundPublished = new Metric(
      registry,
      'baton_connectors_outbound_published_total',
      'Messages from send tasks and message throw/end events the broker confirmed',
      'counter',
      [],
    );
    this.outboundPublishFailures = new Metric(
      registry,
      'baton_connectors_outbound_publish_failures_total',
      'Publish attempts the broker did not confirm (the job waits and is tried again)',
      'counter',
      [],
    );
    this.outboundIncidents = new Metric(
      registry,
      'baton_connectors_outbound_incidents_total',
      'Outbound jobs that could not be turned into a message (bad header or FEEL): an incident each',
      'counter',
      [],
    );
    this.inboundReceived = new Metric(
      registry,
      'baton_connectors_inbound_received_total',
      'Bus messages delivered to inbound subscriptions',
      'counter',
      ['subscription'],
    );
    this.inboundCommitted = new Metric(
      registry,
      'baton_connectors_inbound_committed_total',
      'Bus messages the engine committed (message published or instance created), then acknowledged',
      'counter',
      ['subscription'],
    );
    this.inboundDuplicates = new Metric(
      registry,
      'baton_connectors_inbound_duplicates_total',
      'Bus messages acknowledged as duplicates of a message id the engine already has',
      'counter',
      ['subscription'],
    );
    this.inboundSkipped = new Metric(
      registry,
      'baton_connectors_inbound_skipped_total',
      'Bus messages acknowledged without effect because the activation condition was false',
      'counter',
      ['subscription'],
    );
    this.inboundDeadLettered = new Metric(
      registry,
      'baton_connectors_inbound_dead_lettered_total',
      'Bus messages that can never be processed, by reason: parked on the dead-letter subject, then acknowledged',
      'counter',
      ['subscription', 'reason'],
    );
    this.inboundDropped = new Metric(
      registry,
      'baton_connectors_inbound_dropped_total',
      'Bus messages that can never be processed, by reason, dropped (dead letters off): logged and acknowledged',
      'counter',
      ['subscription', 'reason'],
    );
    this.inboundDeadLetterFailures = new Metric(
      registry,
      'baton_connectors_inbound_dead_letter_failures_total',
      'Dead letters the broker did not confirm: the message was given back and is parked again later',
      'counter',
      ['subscription'],
    );
    this.inboundRetried = new Metric(
      registry,
      'baton_connectors_inbound_retried_total',
      'Bus messages given back to the broker because the engine could not take them now',
      'counter',
      ['subscription'],
    );
    this.outboundWaiting = new Metric(
      registry,
      'baton_connectors_outbound_waiting',
      'Outbound jobs created and not yet taken for publishing (they wait while the bus is down)',
      'gauge',
      [],
      waitingOutbound,
    );
  }

  private all(): Metric[] {
    return Object.values(this).filter((m): m is Metric => m instanceof Metric);
  }

  /** The exposition text of these metrics (prom-client's), e.g. for a `/metrics` of their own. */
  async toPrometheus(): Promise<string> {
    const texts = await Promise.all(this.all().map((m) => this.registry.getSingleMetricAsString(m.name)));
    return `${texts.join('\n')}\n`;
  }

  snapshot(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const metric of this.all()) {
      for (const { labels, value } of metric.samples()) out[`${metric.name}${labelText(labels)}`] = value;
    }
    return out;
  }
}

function labelText(labels: Labels): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  return `{${entries.map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}
