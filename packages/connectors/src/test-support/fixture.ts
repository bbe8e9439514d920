import type { LoggedRecord } from '@baton-engine/engine';
import type { Engine, EngineOptions } from '@baton-engine/baton';
import { createEngine } from '@baton-engine/baton';
import type { Bus, Delivery } from '../bus/bus.js';
import { MemoryBroker } from '../bus/memory-bus.js';
import type { ConnectorsConfigInput } from '../config.js';
import type { RunningConnectors } from '../connectors.js';
import { startConnectors } from '../connectors.js';
import type { Envelope } from '../envelope.js';
import { createEnvelope, decodeEnvelope, encodeEnvelope } from '../envelope.js';
import type { ConnectorLog } from '../log.js';
import { waitUntil } from '../bus/contract.js';

export { waitUntil };

/** A log that keeps its lines, for assertions on what operators would read. */
export class RecordingLog implements ConnectorLog {
  readonly lines: string[] = [];
  info(fields: Record<string, unknown>, message: string): void {
    this.lines.push(`INFO ${message} ${JSON.stringify(fields)}`);
  }
  warn(fields: Record<string, unknown>, message: string): void {
    this.lines.push(`WARN ${message} ${JSON.stringify(fields)}`);
  }
  error(fields: Record<string, unknown>, message: string): void {
    this.lines.push(`ERROR ${message} ${JSON.stringify(fields)}`);
  }
  has(pattern: RegExp): boolean {
    return this.lines.some((line) => pattern.test(line));
  }
}

/** An engine with connectors on a bus, the records it committed, and a second client of the broker. */
export interface Fixture {
  readonly engine: Engine;
  readonly connectors: RunningConnectors;
  readonly records: LoggedRecord[];
  readonly log: RecordingLog;
  /** Another client of the same broker, as another service would be. */
  readonly peer: Bus;
  close(): Promise<void>;
}

export interface FixtureOptions {
  readonly config?: Partial<ConnectorsConfigInput>;
  readonly engine?: EngineOptions;
  /** An engine made already (a wrapper that refuses some calls …), instead of a new one from `engine`. */
  readonly engineInstance?: Engine;
  /** The bus of the engine's connectors and the peer's bus (default: two clients of a new in-process broker). */
  readonly buses?: { readonly connectors: Bus; readonly peer: Bus };
}

export async function startFixture(
  options: FixtureOptions = {},
): Promise<Fixture & { broker?: MemoryBroker }> {
  const broker = options.buses ? undefined : new MemoryBroker({ ackWaitMs: 5_000 });
  const buses = options.buses ?? { connectors: broker!.connect(), peer: broker!.connect() };
  const engine = options.engineInstance ?? (await createEngine({ store: 'memory', ...options.engine }));
  const records: LoggedRecord[] = [];
  engine.onRecords((batch) => records.push(...batch));
  const log = new RecordingLog();
  const connectors = await startConnectors(
    engine,
    {
      bus: { kind: 'memory' },
      source: 'test',
      ...options.config,
      outbound: { jobTimeout: 5_000, ...options.config?.outbound },
    },
    { log, bus: buses.connectors },
  );
  return {
    engine,
    connectors,
    records,
    log,
    peer: buses.peer,
    broker,
    close: async () => {
      await connectors.stop();
      await engine.close();
      await buses.connectors.close();
      await buses.peer.close();
    },
  };
}

/** Collects the envelopes published on a subject (acknowledging them), through its own group. */
export async function collectEnvelopes(bus: Bus, subject: string, group = `spy-${subject}`) {
  const envelopes: Envelope[] = [];
  const deliveries: Delivery[] = [];
  const subscription = await bus.subscribe(subject, { group }, async (delivery) => {
    deliveries.push(delivery);
    const decoded = decodeEnvelope(delivery.body, delivery.id);
    if (decoded.ok) envelopes.push(decoded.envelope);
    await delivery.ack();
  });
  return { envelopes, deliveries, subscription };
}

/** Publishes an envelope as a service would. */
export async function publishEnvelope(
  bus: Bus,
  subject: string,
  fields: { type: string; id: string; data: unknown; correlationId?: string; traceId?: string },
): Promise<void> {
  const envelope = createEnvelope({ source: 'test-peer', ...fields });
  await bus.publish(subject, { id: envelope.id, body: encodeEnvelope(envelope) });
}

/** True when the process instance completed. */
export function completed(records: readonly LoggedRecord[], processInstanceKey: string): boolean {
  return records.some(
    (r) =>
      r.recordType === 'EVENT' &&
      r.valueType === 'PROCESS_INSTANCE' &&
      r.intent === 'ELEMENT_COMPLETED' &&
      r.key === processInstanceKey,
  );
}

/** The instances of a process created so far (by any means). */
export function instancesOf(records: readonly LoggedRecord[], bpmnProcessId: string): string[] {
  return records
    .filter(
      (r) =>
        r.recordType === 'EVENT' &&
        r.valueType === 'PROCESS_INSTANCE' &&
        r.intent === 'ELEMENT_ACTIVATED' &&
        r.value.bpmnElementType === 'PROCESS' &&
        r.value.bpmnProcessId === bpmnProcessId,
    )
    .map((r) => r.key);
}
