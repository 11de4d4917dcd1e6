package dev.infermint.tenants.rest;

/**
 * A tenant as the API shows it.
 *
 * @param id the tenant id, which is the id of its Keycloak organization
 * @param slug the URL-safe handle, also the organization's alias
 * @param name the display name
 * @param plan the plan's wire name
 * @param status {@code active}, {@code suspended} or {@code deleted} (only platform staff see deleted tenants)
 */
public record TenantResponse(String id, String slug, String name, String plan, String status) {
}
