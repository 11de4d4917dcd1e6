package dev.infermint.tenants;

import java.util.Locale;
import java.util.Optional;

/**
 * What an API key may do. The gateway turns scopes into asserted roles: {@code inference} carries role
 * {@code inference}, {@code admin} carries {@code tenant-admin}.
 */
public enum ApiKeyScope {
  /** Calls the public inference API ({@code /v1}, {@code /v2}). */
  INFERENCE,
  /** Manages the key's own tenant through {@code /api/v1}. */
  ADMIN;

  /** @return the scope as written in the API and the database, e.g. {@code inference} */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Reads a scope from its wire name.
   *
   * @param value the wire name, e.g. {@code admin}; may be null
   * @return the scope, or empty when the value names no scope
   */
  public static Optional<ApiKeyScope> fromWireName(String value) {
    if (value != null) {
      for (ApiKeyScope scope : values()) {
        if (scope.wireName().equals(value)) {
          return Optional.of(scope);
        }
      }
    }
    return Optional.empty();
  }
}
