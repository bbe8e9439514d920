import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

const require = createRequire(import.meta.url);
const SDK_ROOT = dirname(require.resolve('@camunda8/sdk/package.json'));

/**
 * The Camunda 8 version Baton answers as (Topology's gateway and broker version): the minor release of the
 * `@camunda8/sdk` whose proto is served, as `major.minor.0`. Derived here, next to the proto it describes, so
 * that upgrading the SDK moves both together.
 */
export const ZEEBE_VERSION: string = (() => {
  const { version } = require('@camunda8/sdk/package.json') as { version: string };
  const [major, minor] = version.split('.');
  return `${major}.${minor}.0`;
})();

/**
 * The Zeebe gateway protocol (`gateway_protocol.Gateway`), loaded from the proto that ships in
 * `@camunda8/sdk` (Apache-2.0). Keys are int64: they are kept as decimal strings, as the engine's are.
 */
export function loadGatewayService(): grpc.ServiceDefinition {
  const protoPath = join(SDK_ROOT, 'dist', 'proto', 'zeebe.proto');
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
