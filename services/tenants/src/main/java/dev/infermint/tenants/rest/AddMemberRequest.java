package dev.infermint.tenants.rest;

/**
 * Body of {@code POST /api/v1/tenants/{tenantId}/members}.
 *
 * @param email the person's e-mail address; a Keycloak user with it is reused, else one is invited
 * @param role {@code tenant-admin} or {@code tenant-member}
 */
public record AddMemberRequest(String email, String role) {
}
