package dev.infermint.registry.rest;

import static io.restassured.RestAssured.given;

import io.restassured.specification.RequestSpecification;

/** Requests as the gateway makes them: identity asserted in headers beside the internal token. */
final class Callers {

  static final String TOKEN = "test-internal-token";

  private Callers() {
  }

  /** A tenant admin (a Keycloak tenant-admin, or an API key of scope admin) of the given tenant. */
  static RequestSpecification tenantAdmin(String tenant) {
    return as(tenant, "tenant-admin");
  }

  /** A caller of the tenant holding the given roles (comma separated). */
  static RequestSpecification as(String tenant, String roles) {
    return given().log().ifValidationFails()
        .header("X-Infermint-Internal-Token", TOKEN)
        .header("X-Infermint-Caller-Kind", "API_KEY")
        .header("X-Infermint-Subject", "key-" + tenant)
        .header("X-Infermint-Tenant-Id", tenant)
        .header("X-Infermint-Roles", roles);
  }

  /** Another service, holding the internal token, asserting no identity. */
  static RequestSpecification service() {
    return given().log().ifValidationFails().header("X-Infermint-Internal-Token", TOKEN);
  }
}
