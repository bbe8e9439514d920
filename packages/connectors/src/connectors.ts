import type { Registry } from 'prom-client';
import type { Engine } from '@baton-engine/baton';
import type { ProcessModel } from '@baton-engine/baton';
import type { Bus } from './bus/bus.js';
import { AmqpBus } from './bus/amqp-bus.js';
import { MemoryBroker } from './bus/memory-bus.js';
import { NatsBus } from './bus/nats-bus.js';
import type { BusConfig, ConnectorsConfig, ConnectorsConfigInput } from './config.js';
import { defaultGroup, parseConnectorsConfig } from './config.js';
import type { InboundBinding } from './inbound.js';
import { InboundConnector } from './inbound.js';
import type { ConnectorLog } from './log.js';
import { consoleLog } from './log.js';
import { ConnectorMetrics } from './metrics.js';
import { inboundBindingsOf } from './model-bindings.js';
import { OutboundConnector } from './outbound.js';

export interface StartConnectorsOptions {
  /** Where to log (pino's `(fields, message)`); default one line per event on stderr. */
  readonly log?: ConnectorLog;
  /** A bus to use instead of the one the configuration describes (the in-process bus of the sample, tests). */
  readonly bus?: Bus;
  /** How long `startConnectors` waits for the bus to connect before going on without it (default 2 s). */
  readonly initialConnectTimeoutMs?: number;
  /** Where the metrics are registered (prom-client), e.g. the gateway's, so that one `/metrics` shows all. */
  readonly metricsRegistry?: Registry;
  /**
   * The cluster node the engine is (`baton start --cluster`): outbound jobs taken here show the worker
   * `baton-connectors@<node>`. Every node publishes for the partitions it leads and shares the inbound groups.
   */
  readonly node?: string;
}

/** Running connectors: their bus, metrics and inbound subscriptions; `stop()` ends them. */
export interface RunningConnectors {
  readonly bus: Bus;
  readonly metrics: ConnectorMetrics;
  /** The inbound subscriptions active now (from the configuration and from deployed models). */
  inboundBindings(): InboundBinding[];
  /** Stops taking outbound jobs (waits for those being published), unsubscribes, closes the bus it opened. */
  stop(): Promise<void>;
}

/**
 * Starts the event-bus connectors of an engine (docs/connectors.md): the outbound outbox for send tasks and
 * message throw/end events bound to the bus, the inbound subscriptions of the configuration and of deployed
 * models. The bus connects in the background: the engine keeps working while the broker is unreachable.
 */
export async function startConnectors(
  engine: Engine,
  input: ConnectorsConfig | ConnectorsConfigInput,
  options: StartConnectorsOptions = {},
): Promise<RunningConnectors> {
  const config = parseConnectorsConfig(input);
  const log = options.log ?? consoleLog;
  const bus = options.bus ?? createBus(config.bus, log);
  const ownsBus = !options.bus;
  const jobType = config.outbound.jobType;
  const metrics = new ConnectorMetrics(() => waitingJobs(engine, jobType), options.metricsRegistry);
  const busLabels = { bus: bus.kind };
  // A broker that answers at once is not worth a warning; one that does not is waited for in the background.
  await connectedWithin(bus, options.initialConnectTimeoutMs ?? 2_000);
  metrics.busConnected.set(busLabels, bus.state === 'connected' ? 1 : 0);
  if (bus.state !== 'connected') {
    log.warn(busLabels, 'bus not reachable yet: outbound messages wait in the engine until it is');
  }
  const offState = bus.onStateChange((state, reason) => {
    metrics.busConnected.set(busLabels, state === 'connected' ? 1 : 0);
    if (state === 'connected') {
      log.info(busLabels, 'bus connected: outbound messages go out, inbound subscriptions resume');
    } else {
      metrics.busDisconnects.inc(busLabels);
      log.warn(
        { ...busLabels, reason },
        'bus unreachable: the engine keeps working, outbound messages wait, inbound paused',
      );
    }
  });

  const outbound = config.outbound.enabled
    ? new OutboundConnector(
        engine,
        bus,
        {
          jobType,
          source: config.source,
          maxJobsActive: config.outbound.maxJobsActive,
          jobTimeout: config.outbound.jobTimeout,
          node: options.node,
        },
        log,
        metrics,
      )
    : undefined;
  outbound?.start();

  const deadLetter = config.deadLetter;
  const inbound = new InboundConnector(engine, bus, log, metrics, {
    source: config.source,
    deadLetter: deadLetter.enabled ? { subject: deadLetter.subject, group: deadLetter.group } : undefined,
    maxRefusals: deadLetter.maxRefusals,
  });
  const configured = config.inbound.map((entry, i) => configBinding(entry, i));
  for (const binding of configured) await inbound.add(binding);
  const models = config.modelSubscriptions
    ? new ModelSubscriptions(engine, inbound, new Set(configured.map((b) => b.group)), log)
    : undefined;
  await models?.start();

  let stopping: Promise<void> | undefined;
  return {
    bus,
    metrics,
    inboundBindings: () => inbound.bindings,
    stop: () =>
      (stopping ??= (async () => {
        models?.stop();
        await outbound?.stop();
        await inbound.stop();
        offState();
        if (ownsBus) await bus.close();
      })()),
  };
}

function createBus(config: BusConfig, log: ConnectorLog): Bus {
  switch (config.kind) {
    case 'memory':
      log.warn({ bus: 'memory' }, 'in-process bus: only this process can publish and subscribe');
      return new MemoryBroker().connect();
    case 'nats':
      return new NatsBus({
        servers: config.servers,
        stream: config.stream,
        subjectPrefix: config.subjectPrefix,
        streamSubjects: config.streamSubjects,
        duplicateWindowMs: config.duplicateWindow,
        ackWaitMs: config.ackWait,
        user: config.user,
        pass: config.pass,
        token: config.token,
      });
    case 'amqp':
      return new AmqpBus({ url: config.url, exchange: config.exchange, queuePrefix: config.queuePrefix });
  }
}

function configBinding(entry: ConnectorsConfig['inbound'][number], index: number): InboundBinding {
  const origin = `config inbound[${index}]`;
  const base = {
    name: entry.name ?? entry.subject,
    origin,
    subject: entry.subject,
    group: entry.group ?? defaultGroup(entry),
    maxInFlight: entry.maxInFlight,
    activationCondition: entry.activationCondition,
  };
  if (entry.correlate) return { ...base, action: { kind: 'correlate', ...entry.correlate } };
  return { ...base, action: { kind: 'createInstance', ...entry.createInstance! } };
}

/** Outbound jobs waiting to be taken, over all partitions (read between batches, for the gauge). */
function waitingJobs(engine: Engine, type: string): number {
  let n = 0;
  for (const partition of engine.stats({ jobTypes: [type] }).partitions)
    n += partition.activatableJobs[type] ?? 0;
  return n;
}

/**
 * Keeps the inbound subscriptions declared in models in step with what is deployed: the bindings of the latest
 * version of every process, re-read after each deployment or deletion, and when the engine hosts other
 * partitions (a cluster node starts with none and takes its share; it knows the processes from them).
 */
class ModelSubscriptions {
  private readonly fromModels = new Set<string>();
  private syncing: Promise<void> = Promise.resolve();
  /** A sync is queued and has not read the deployed processes yet: another one would read the same. */
  private queued = false;
  private offRecords: (() => void) | undefined;
  private offHosting: (() => void) | undefined;
  private stopped = false;

  constructor(
    private readonly engine: Engine,
    private readonly inbound: InboundConnector,
    private readonly configuredGroups: ReadonlySet<string>,
    private readonly log: ConnectorLog,
  ) {}

  async start(): Promise<void> {
    // A deployment is made on one partition and distributed to the others, each writing PROCESS CREATED; in a
    // cluster the partition it is made on need not be hosted here, so every partition's records are watched.
    this.offRecords = this.engine.onRecords((records) => {
      const changed = records.some(
        (r) =>
          r.recordType === 'EVENT' &&
          r.valueType === 'PROCESS' &&
          (r.intent === 'CREATED' || r.intent === 'DELETED'),
      );
      if (changed) this.schedule();
    });
    this.offHosting = this.engine.onHostedPartitionsChange(() => this.schedule());
    await this.engine.flush();
    this.schedule();
    await this.syncing;
  }

  private schedule(): void {
    if (this.queued) return;
    this.queued = true;
    this.syncing = this.syncing
      .then(() => {
        this.queued = false;
        // A cluster node between leaderships knows no process: it keeps what it subscribed until it does.
        if (this.engine.hostedPartitions.length === 0) return;
        return this.sync(this.engine.latestProcessModels());
      })
      .catch((error: unknown) => {
        this.log.error(
          { error: (error as Error).message },
          'inbound: could not read the bindings of deployed models',
        );
      });
  }

  private async sync(processes: readonly ProcessModel[]): Promise<void> {
    if (this.stopped) return;
    const wanted = new Map<string, InboundBinding>();
    for (const process of processes) {
      const { bindings, problems } = await inboundBindingsOf(process);
      for (const problem of problems) this.log.error({}, `inbound binding ignored: ${problem}`);
      for (const binding of bindings) {
        if (this.inbound.takesDeadLetters(binding.subject)) {
          this.log.error(
            { subject: binding.subject, origin: binding.origin },
            'inbound binding ignored: its subject takes the dead-letter subject too, where its own bad messages would go',
          );
          continue;
        }
        if (this.configuredGroups.has(binding.group) || wanted.has(binding.group)) {
          this.log.error(
            { group: binding.group, origin: binding.origin },
            'inbound binding ignored: another subscription uses this group; give it its own inbound.group',
          );
          continue;
        }
        wanted.set(binding.group, binding);
      }
    }
    for (const group of [...this.fromModels]) {
      if (wanted.has(group)) continue;
      this.fromModels.delete(group);
      await this.inbound.remove(group);
    }
    for (const binding of wanted.values()) {
      if (this.stopped) return;
      await this.inbound.add(binding);
      this.fromModels.add(binding.group);
    }
  }

  stop(): void {
    this.stopped = true;
    this.offRecords?.();
    this.offHosting?.();
  }
}

function connectedWithin(bus: Bus, ms: number): Promise<void> {
  if (bus.state === 'connected' || ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      off();
      resolve();
    };
    const timer = setTimeout(done, ms);
    const off = bus.onStateChange((state) => {
      if (state === 'connected') done();
    });
  });
}
