export { startGrpcGateway } from './grpc/server.js';
export type { GrpcGatewayOptions, RunningGrpcGateway } from './grpc/server.js';
export { GATEWAY_VERSION } from './grpc/handlers.js';
export { startHttpGateway } from './rest/http-gateway.js';
export type { HttpGatewayOptions, RunningHttpGateway } from './rest/http-gateway.js';
export { createAuthenticator, NO_AUTHENTICATION } from './auth/authenticator.js';
export type { Authenticator, AuthenticatorOptions, OAuthClient } from './auth/authenticator.js';
export { STATUS, toGrpcError } from './status-mapping.js';
export { loadGatewayService } from './zeebe-proto.js';
