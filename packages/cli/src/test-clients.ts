import { Camunda8 } from '@camunda8/sdk';

/** The `@camunda8/sdk` Zeebe gRPC client, as an application would hold it. */
export type Zeebe = ReturnType<Camunda8['getZeebeGrpcApiClient']>;

/** How the SDK authenticates: none, a fixed bearer token, or OAuth client credentials against a token URL. */
export type SdkAuth =
  | { readonly kind: 'none' }
  | { readonly kind: 'bearer'; readonly token: string }
  | {
      readonly kind: 'oauth';
      readonly url: string;
      readonly clientId: string;
      readonly clientSecret: string;
    };

/**
 * A Zeebe client configured exactly as a Camunda 8 application configures it: only the address (and the
 * credentials) point at Baton. `rootCert` switches to TLS with that CA.
 */
export function sdkClient(port: number, auth: SdkAuth = { kind: 'none' }, rootCert?: string): Zeebe {
  const config = {
    ZEEBE_GRPC_ADDRESS: `${rootCert ? 'grpcs' : 'grpc'}://localhost:${port}`,
    CAMUNDA_SECURE_CONNECTION: Boolean(rootCert),
    ...(rootCert ? { CAMUNDA_CUSTOM_ROOT_CERT_STRING: rootCert } : {}),
    CAMUNDA_AUTH_STRATEGY: auth.kind === 'none' ? 'NONE' : auth.kind === 'bearer' ? 'BEARER' : 'OAUTH',
    ...(auth.kind === 'bearer' ? { CAMUNDA_OAUTH_TOKEN: auth.token } : {}),
    ...(auth.kind === 'oauth'
      ? {
          CAMUNDA_OAUTH_URL: auth.url,
          ZEEBE_CLIENT_ID: auth.clientId,
          ZEEBE_CLIENT_SECRET: auth.clientSecret,
          CAMUNDA_TOKEN_DISK_CACHE_DISABLE: true,
        }
      : {}),
    zeebeGrpcSettings: { ZEEBE_CLIENT_LOG_LEVEL: 'NONE', ZEEBE_GRPC_CLIENT_RETRY: false },
  };
  return new Camunda8(config as never).getZeebeGrpcApiClient();
}

/** Polls until `predicate` holds, failing after `ms`. */
export async function waitUntil(predicate: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
