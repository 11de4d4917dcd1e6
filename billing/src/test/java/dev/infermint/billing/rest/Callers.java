package dev.infermint.billing.rest;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

import dev.infermint.auth.InternalHeaders;

/** Requests as the gateway makes them: internal token plus asserted identity headers. */
final class Callers {

  static final String INTERNAL_TOKEN = "test-internal-token";

  private Callers() {
  }

  /** @return a request from another service (the gateway) holding the internal token */
  static RequestSpecification service() {
    return given().header(InternalHeaders.INTERNAL_TOKEN, INTERNAL_TOKEN).contentType(ContentType.JSON);
  }

  /** @return a request of an admin API key of the given tenant, as the gateway asserts it */
  static RequestSpecification tenantAdmin(String tenantId) {
    return given().header(InternalHeaders.INTERNAL_TOKEN, INTERNAL_TOKEN)
        .header(InternalHeaders.KIND, "API_KEY")
        .header(InternalHeaders.TENANT_ID, tenantId)
        .header(InternalHeaders.ROLES, "tenant-admin");
  }
}
