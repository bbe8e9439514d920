type Labels = Readonly<Record<string, string>>;

/** A counter or gauge with labels, in the Prometheus sense. */
export class Metric {
  private readonly values = new Map<string, { labels: Labels; value: number }>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: 'counter' | 'gauge',
    private readonly collect?: () => number,
  ) {}

  inc(labels: Labels = {}, by = 1): void {
    const key = keyOf(labels);
    const entry = this.values.get(key);
    if (entry) entry.value += by;
    else this.values.set(key, { labels, value: by });
  }

  set(labels: Labels, value: number): void {
    this.values.set(keyOf(labels), { labels, value });
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
  readonly busConnected = new Metric(
    'baton_connectors_bus_connected',
    '1 while the connectors are connected to the bus, 0 while the broker is unreachable',
    'gauge',
  );
  readonly busDisconnects = new Metric(
    'baton_connectors_bus_disconnects_total',
    'Times the connection to the bus was lost',
    'counter',
  );
  readonly outboundPublished = new Metric(
    'baton_connectors_outbound_published_total',
    'Messages from send tasks and message throw/end events the broker confirmed',
    'counter',
  );
  readonly outboundPublishFailures = new Metric(
    'baton_connectors_outbound_publish_failures_total',
    'Publish attempts the broker did not confirm (the job waits and is tried again)',
    'counter',
  );
  readonly outboundIncidents = new Metric(
    'baton_connectors_outbound_incidents_total',
    'Outbound jobs that could not be turned into a message (bad header or FEEL): an incident each',
    'counter',
  );
  readonly outboundWaiting: Metric;
  readonly inboundReceived = new Metric(
    'baton_connectors_inbound_received_total',
    'Bus messages delivered to inbound subscriptions',
    'counter',
  );
  readonly inboundCommitted = new Metric(
    'baton_connectors_inbound_committed_total',
    'Bus messages the engine committed (message published or instance created), then acknowledged',
    'counter',
  );
  readonly inboundDuplicates = new Metric(
    'baton_connectors_inbound_duplicates_total',
    'Bus messages acknowledged as duplicates of a message id the engine already has',
    'counter',
  );
  readonly inboundSkipped = new Metric(
    'baton_connectors_inbound_skipped_total',
    'Bus messages acknowledged without effect because the activation condition was false',
    'counter',
  );
  readonly inboundDeadLettered = new Metric(
    'baton_connectors_inbound_dead_lettered_total',
    'Bus messages that can never be processed, by reason: parked on the dead-letter subject, then acknowledged',
    'counter',
  );
  readonly inboundDropped = new Metric(
    'baton_connectors_inbound_dropped_total',
    'Bus messages that can never be processed, by reason, dropped (dead letters off): logged and acknowledged',
    'counter',
  );
  readonly inboundDeadLetterFailures = new Metric(
    'baton_connectors_inbound_dead_letter_failures_total',
    'Dead letters the broker did not confirm: the message was given back and is parked again later',
    'counter',
  );
  readonly inboundRetried = new Metric(
    'baton_connectors_inbound_retried_total',
    'Bus messages given back to the broker because the engine could not take them now',
    'counter',
  );

  constructor(waitingOutbound: () => number = () => 0) {
    this.outboundWaiting = new Metric(
      'baton_connectors_outbound_waiting',
      'Outbound jobs created and not yet taken for publishing (they wait while the bus is down)',
      'gauge',
      waitingOutbound,
    );
  }

  private all(): Metric[] {
    return Object.values(this).filter((m): m is Metric => m instanceof Metric);
  }

  toPrometheus(): string {
    const lines: string[] = [];
    for (const metric of this.all()) {
      lines.push(`# HELP ${metric.name} ${metric.help}`, `# TYPE ${metric.name} ${metric.type}`);
      for (const { labels, value } of metric.samples())
        lines.push(`${metric.name}${labelText(labels)} ${value}`);
    }
    return `${lines.join('\n')}\n`;
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
