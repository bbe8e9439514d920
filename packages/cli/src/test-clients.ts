import { Camunda8 } from '@camunda8/sdk';
import { createCamundaClient } from '@camunda8/orchestration-cluster-api';
import type { CamundaClient, ProcessInstanceResult } from '@camunda8/orchestration-cluster-api';

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

/** OAuth client credentials, as an application holds them to get tokens from `url` (Baton's `/oauth/token`). */
export interface OAuthCredentials {
  readonly url: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

/**
 * `@camunda8/orchestration-cluster-api` configured as an application configures it for a self-managed
 * cluster: the REST address and OAuth client credentials. `validation` is the client's own check of requests
 * and responses; by default as strict as it goes (`res:fanatical`: a wrong type, a missing required field or a
 * property the 8.8 spec does not have fails the call). `overrides` sets any other of its settings.
 */
export function orchestrationClient(
  restAddress: string,
  oauth: OAuthCredentials,
  validation = 'req:strict,res:fanatical',
  overrides: Readonly<Record<string, unknown>> = {},
): CamundaClient {
  return createCamundaClient({
    config: {
      CAMUNDA_REST_ADDRESS: restAddress,
      CAMUNDA_AUTH_STRATEGY: 'OAUTH',
      CAMUNDA_OAUTH_URL: oauth.url,
      CAMUNDA_CLIENT_ID: oauth.clientId,
      CAMUNDA_CLIENT_SECRET: oauth.clientSecret,
      CAMUNDA_SDK_VALIDATION: validation,
      CAMUNDA_SDK_LOG_LEVEL: 'silent',
      // A failure is the test's finding, not something to retry.
      CAMUNDA_SDK_HTTP_RETRY_MAX_ATTEMPTS: 1,
      ...overrides,
    } as never,
  });
}

/** `@camunda8/sdk`'s REST client (`CamundaRestClient`) as an application holds it. */
export type SdkRestClient = ReturnType<Camunda8['getCamundaRestClient']>;

/** `@camunda8/sdk`'s `CamundaRestClient` against `restAddress`, with OAuth client credentials. */
export function sdkRestClient(restAddress: string, oauth: OAuthCredentials): SdkRestClient {
  const config = {
    ZEEBE_REST_ADDRESS: restAddress,
    CAMUNDA_AUTH_STRATEGY: 'OAUTH',
    CAMUNDA_OAUTH_URL: oauth.url,
    ZEEBE_CLIENT_ID: oauth.clientId,
    ZEEBE_CLIENT_SECRET: oauth.clientSecret,
    CAMUNDA_TOKEN_DISK_CACHE_DISABLE: true,
    CAMUNDA_LOG_LEVEL: 'none',
  };
  return new Camunda8(config as never).getCamundaRestClient();
}

/** Reads until `done` holds for what `read` answers, and answers that; fails after `ms` naming `what`. */
export async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  what: string,
  ms = 10_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > end)
      throw new Error(`timed out waiting for ${what}; last read: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A read of the orchestration client answered from what the read side holds now. */
export const readNow = { consistency: { waitUpToMs: 0 } };

/**
 * The orchestration client's own bounded wait for the eventually consistent read side: it repeats the read
 * (a GET answered 404 included) until `predicate` holds, and fails after 10 s.
 */
export const until = <T>(predicate: (response: T) => boolean) => ({
  consistency: { waitUpToMs: 10_000, pollIntervalMs: 20, predicate },
});

/** For `until`: a search whose first page has `count` items. */
export const items =
  (count: number) =>
  (response: { items?: readonly unknown[] }): boolean =>
    response.items?.length === count;

/** For `assert.rejects`: the clients' error for an answer with HTTP status `expected`. */
export const hasStatus = (expected: number) => (error: { status?: number }) => error.status === expected;

/** A resource file to deploy, as an application hands it to the orchestration client. */
export const resourceFile = (text: string, name: string) =>
  new File([text], name, { type: 'application/octet-stream' });

/** Waits until the read side shows the process instance in `state`, and answers it. */
export const instanceIn = (
  camunda: CamundaClient,
  processInstanceKey: string,
  state: string,
): Promise<ProcessInstanceResult> =>
  camunda.getProcessInstance(
    { processInstanceKey: processInstanceKey as never },
    until((instance: { state: string }) => instance.state === state),
  );
