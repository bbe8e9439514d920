import * as grpc from '@grpc/grpc-js';
import { loadGatewayService } from '@baton-engine/gateway';

export interface ClientOptions {
  address: string;
  token?: string;
}

/** Calls one unary RPC of a running Baton (or any Zeebe gateway); rejects with the gRPC error. */
export function callGateway(
  options: ClientOptions,
  method: string,
  request: object,
): Promise<Record<string, unknown>> {
  const Client = grpc.makeGenericClientConstructor(loadGatewayService(), 'Gateway');
  const client = new Client(options.address, grpc.credentials.createInsecure()) as unknown as Record<
    string,
    (
      req: object,
      metadata: grpc.Metadata,
      options: grpc.CallOptions,
      callback: (error: grpc.ServiceError | null, response: Record<string, unknown>) => void,
    ) => void
  >;
  const metadata = new grpc.Metadata();
  if (options.token) metadata.set('authorization', `Bearer ${options.token}`);
  return new Promise((resolve, reject) => {
    client[method]!(request, metadata, { deadline: Date.now() + 30_000 }, (error, response) => {
      (client as unknown as grpc.Client).close();
      if (error) reject(error);
      else resolve(response);
    });
  });
}
