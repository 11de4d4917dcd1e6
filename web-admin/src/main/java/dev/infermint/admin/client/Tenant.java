package dev.infermint.admin.client;

/**
 * A tenant as the gateway's {@code GET /api/v1/tenants} lists it (SPEC §5).
 *
 * @param id the tenant id (its Keycloak organization id)
 * @param slug the short unique name
 * @param name the display name
 * @param plan the plan id
 * @param status e.g. {@code ACTIVE}
 */
public record Tenant(String id, String slug, String name, String plan, String status) {
}
