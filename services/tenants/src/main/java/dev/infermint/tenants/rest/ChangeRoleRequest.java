package dev.infermint.tenants.rest;

/**
 * Body of {@code PUT /api/v1/tenants/{tenantId}/members/{userId}}.
 *
 * @param role {@code tenant-admin} or {@code tenant-member}
 */
public record ChangeRoleRequest(String role) {
}
