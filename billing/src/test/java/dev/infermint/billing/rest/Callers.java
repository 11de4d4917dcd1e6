package dev.infermint.billing.rest;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

import dev.infermint.testsupport.AsService;

/** Requests as the gateway makes them: its service token, plus the identity it asserts for an API key. */
final class Callers {

  private Callers() {
  }

  /** @return a request from another service (the gateway) acting for itself */
  static RequestSpecification service() {
    return AsService.service().contentType(ContentType.JSON);
  }

  /** @return a request of an admin API key of the given tenant, as the gateway asserts it */
  static RequestSpecification tenantAdmin(String tenantId) {
    return AsService.apiKey(tenantId, "key-admin-" + tenantId, "tenant-admin");
  }
}
