import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

/**
 * The Zeebe gateway protocol this package serves: `proto/zeebe.proto`, shipped in the package (Apache-2.0,
 * copied from `@camunda8/sdk`), so a production install needs no Camunda package. Resolved from this module,
 * which sits one level below the package root both as `src/zeebe-proto.ts` and as `dist/zeebe-proto.js`.
 */
export const ZEEBE_PROTO_PATH: string = fileURLToPath(new URL('../proto/zeebe.proto', import.meta.url));

/**
 * The Camunda 8 version Baton answers as (Topology's gateway and broker version): the minor release whose
 * proto is served, as `major.minor.0`. Kept next to the proto it describes; `zeebe-proto.test.ts` checks
 * both against the `@camunda8/sdk` in devDependencies, so upgrading the SDK moves them together.
 */
export const ZEEBE_VERSION = '8.8.0';

/**
 * The Zeebe gateway protocol (`gateway_protocol.Gateway`), loaded from the shipped proto. Keys are int64:
 * they are kept as decimal strings, as the engine's are.
 */
export function loadGatewayService(): grpc.ServiceDefinition {
  const definition = protoLoader.loadSync(ZEEBE_PROTO_PATH, {
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
