package dev.infermint.tenants.client;

/**
 * A Keycloak user as the tenants service sees it.
 *
 * @param id the user id (the {@code sub} of the user's tokens)
 * @param email the e-mail address (the username, for users this service invited)
 * @param invitationPending whether the user still has to choose a password (required action
 *     {@code UPDATE_PASSWORD}), i.e. has not yet accepted the invitation
 */
public record KeycloakUser(String id, String email, boolean invitationPending) {
}
