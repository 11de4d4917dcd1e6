package dev.infermint.registry.rest;

import io.restassured.specification.RequestSpecification;

import dev.infermint.testsupport.AsService;

/** Requests as the gateway makes them: its service token, plus the identity it asserts for an API key. */
final class Callers {

  private Callers() {
  }

  /** A tenant admin (a Keycloak tenant-admin, or an API key of scope admin) of the given tenant. */
  static RequestSpecification tenantAdmin(String tenant) {
    return as(tenant, "tenant-admin");
  }

  /** A caller of the tenant holding the given roles (comma separated). */
  static RequestSpecification as(String tenant, String roles) {
    return AsService.apiKey(tenant, "key-" + tenant, roles).log().ifValidationFails();
  }

  /** Platform staff through the gateway: a service token asserting a platform admin of no tenant. */
  static RequestSpecification platformAdmin() {
    return service().header("X-Infermint-Caller-Kind", "SERVICE").header("X-Infermint-Subject", "platform-staff")
        .header("X-Infermint-Roles", "platform-admin");
  }

  /** Another service, with its service token, asserting no identity. */
  static RequestSpecification service() {
    return AsService.service().log().ifValidationFails();
  }
}
