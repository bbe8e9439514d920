import { BatonError } from '@baton-engine/baton';

/** The tenant everything belongs to while multi-tenancy is off (Zeebe's `TenantOwned.DEFAULT_TENANT_IDENTIFIER`). */
export const DEFAULT_TENANT = '<default>';

/**
 * Baton has no multi-tenancy: as Zeebe's gateway does with multi-tenancy disabled, a request may name no
 * tenant or `<default>`; any other tenant is refused (INVALID_ARGUMENT) instead of being silently stored
 * under `<default>`. `request` names the operation as Zeebe does (`DeployResource`, `ActivateJobs` …);
 * `api` is `gRPC` or `REST`.
 */
export function ensureDefaultTenant(request: string, tenantId: string | undefined, api = 'gRPC'): string {
  const given = (tenantId ?? '').trim();
  if (given !== '' && given !== DEFAULT_TENANT) {
    throw new BatonError(
      'INVALID_ARGUMENT',
      `Expected to handle ${api} request ${request} with tenant identifier '${tenantId}', but multi-tenancy is disabled`,
    );
  }
  return DEFAULT_TENANT;
}

/** The same check for a list of tenants (job activation): empty means `<default>`. */
export function ensureDefaultTenants(request: string, tenantIds: readonly string[] | undefined): void {
  for (const tenantId of tenantIds ?? []) ensureDefaultTenant(request, tenantId);
}
