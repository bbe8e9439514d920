import { Camunda8 } from '@camunda8/sdk';
import { NO_AUTHENTICATION, startGrpcGateway } from '@baton-engine/gateway';
import type { RunningGrpcGateway } from '@baton-engine/gateway';
import { createEngine } from '@baton-engine/baton';
import type { Engine } from '@baton-engine/baton';

/** The official client's Zeebe gRPC API, as a Camunda 8 application holds it. */
export type Zeebe = ReturnType<Camunda8['getZeebeGrpcApiClient']>;

/** An in-memory Baton serving the Zeebe gRPC protocol on a free loopback port, and an SDK client for it. */
export interface ConformanceServer {
  readonly engine: Engine;
  readonly port: number;
  readonly zeebe: Zeebe;
  /** Closes the client, the gateway and the engine; safe to call after a partial start, and twice. */
  stop(): Promise<void>;
}

/** Starts Baton as the SDK sees a Zeebe gateway; the client points only its address at it. */
export async function startConformanceServer(): Promise<ConformanceServer> {
  const engine = await createEngine({ store: 'memory' });
  let gateway: RunningGrpcGateway | undefined;
  let zeebe: Zeebe | undefined;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await zeebe?.close();
    await gateway?.stop();
    await engine.close();
  };
  try {
    gateway = await startGrpcGateway(engine, { host: '127.0.0.1', port: 0, auth: NO_AUTHENTICATION });
    zeebe = new Camunda8({
      ZEEBE_GRPC_ADDRESS: `grpc://127.0.0.1:${gateway.port}`,
      CAMUNDA_AUTH_STRATEGY: 'NONE',
      zeebeGrpcSettings: { ZEEBE_CLIENT_LOG_LEVEL: 'NONE', ZEEBE_GRPC_CLIENT_RETRY: false },
    } as never).getZeebeGrpcApiClient();
  } catch (error) {
    await stop();
    throw error;
  }
  return { engine, port: gateway.port, zeebe, stop };
}
