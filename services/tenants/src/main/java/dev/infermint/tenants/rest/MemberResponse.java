package dev.infermint.tenants.rest;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A member of a tenant: a Keycloak user in the tenant's organization.
 *
 * @param id the Keycloak user id (the {@code sub} of the member's tokens)
 * @param email the e-mail address
 * @param role {@code tenant-admin} or {@code tenant-member}; null for a user put into the organization outside
 *     Infermint without either role (such a user can do nothing in the tenant)
 * @param status {@code invited} until the user has chosen a password, then {@code active}
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record MemberResponse(String id, String email, String role, String status) {
}
