package dev.infermint.tenants.rest;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.resource.UserResource;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.RoleRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.infermint.testsupport.TestTokens;

/** What tests do to Keycloak users directly: play the invited person, look at roles, memberships and tokens. */
final class KeycloakUsers {

  static final String REALM = "infermint";
  static final String PASSWORD = "An0ther-test-password";

  private static final ObjectMapper JSON = new ObjectMapper();

  private KeycloakUsers() {
  }

  /**
   * Completes an invitation as the person would on first login: chooses a password and fills in the profile, so
   * that no required action is left.
   *
   * @param keycloak the admin client
   * @param userId the invited user
   */
  static void acceptInvitation(Keycloak keycloak, String userId) {
    UserResource user = keycloak.realm(REALM).users().get(userId);
    CredentialRepresentation password = new CredentialRepresentation();
    password.setType(CredentialRepresentation.PASSWORD);
    password.setValue(PASSWORD);
    password.setTemporary(false);
    user.resetPassword(password);
    UserRepresentation rep = user.toRepresentation();
    rep.setRequiredActions(List.of());
    rep.setFirstName("Test");
    rep.setLastName("Member");
    user.update(rep);
  }

  /**
   * @param email the user's username
   * @return a fresh access token of the user (password grant, scope {@code organization})
   */
  static String login(String email) {
    return TestTokens.password(email, PASSWORD);
  }

  /** @return the realm roles mapped to the user directly */
  static Set<String> realmRoles(Keycloak keycloak, String userId) {
    return keycloak.realm(REALM).users().get(userId).roles().realmLevel().listAll().stream()
        .map(RoleRepresentation::getName).collect(Collectors.toSet());
  }

  /** @return whether the user is a member of the organization */
  static boolean isMember(Keycloak keycloak, String organizationId, String userId) {
    return keycloak.realm(REALM).organizations().members().getOrganizations(userId, true).stream()
        .anyMatch(o -> organizationId.equals(o.getId()));
  }

  /** @return the claims of a JWT, without checking its signature (the service under test checks it) */
  static Map<String, Object> claims(String token) {
    String payload = token.split("\\.")[1];
    try {
      return JSON.readValue(new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8),
          new TypeReference<Map<String, Object>>() { });
    } catch (Exception e) {
      throw new IllegalStateException("not a JWT: " + token, e);
    }
  }

  /** @return the realm roles a token carries */
  @SuppressWarnings("unchecked")
  static List<String> tokenRoles(String token) {
    Object access = claims(token).get("realm_access");
    return access instanceof Map<?, ?> map ? (List<String>) map.get("roles") : List.of();
  }

  /** @return the organization claim as text (ids included), or null when the token has none */
  static String tokenOrganization(String token) {
    Object org = claims(token).get("organization");
    try {
      return org == null ? null : JSON.writeValueAsString(org);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
