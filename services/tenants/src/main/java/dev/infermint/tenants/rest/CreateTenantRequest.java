package dev.infermint.tenants.rest;

/**
 * Body of {@code POST /api/v1/tenants}.
 *
 * @param name the display name, required
 * @param slug the URL-safe handle: lower-case letters, digits and dashes, 3 to 40 characters, starting with a letter
 * @param plan {@code free} (default), {@code pro} or {@code enterprise}
 */
public record CreateTenantRequest(String name, String slug, String plan) {
}
