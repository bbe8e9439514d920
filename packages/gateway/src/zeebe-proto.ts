import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

/**
 * The Zeebe gateway protocol (`gateway_protocol.Gateway`), loaded from the proto that ships in
 * `@camunda8/sdk` (Apache-2.0). Keys are int64: they are kept as decimal strings, as the engine's are.
 */
export function loadGatewayService(): grpc.ServiceDefinition {
  const require = createRequire(import.meta.url);
  const protoPath = join(
    dirname(require.resolve('@camunda8/sdk/package.json')),
    'dist',
    'proto',
    'zeebe.proto',
  );
  const definition = protoLoader.loadSync(protoPath, {
    keepCase: true,
    longs: String,
    enums: String,
    defaults: true,
    oneofs: true,
  });
  const loaded = grpc.loadPackageDefinition(definition) as unknown as {
    gateway_protocol: { Gateway: { service: grpc.ServiceDefinition } };
  };
  return loaded.gateway_protocol.Gateway.service;
}
