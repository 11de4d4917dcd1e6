package dev.infermint.tenants.rest;

import static io.restassured.RestAssured.given;

import java.util.Map;
import java.util.UUID;

import io.restassured.RestAssured;
import io.restassured.filter.log.LogDetail;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

import dev.infermint.testsupport.AsService;

/** Requests as the gateway would send them, and tenants to test against. */
public final class Fixtures {

  public static final String PROBLEM_JSON = "application/problem+json";

  static {
    RestAssured.enableLoggingOfRequestAndResponseIfValidationFails(LogDetail.ALL);
  }

  private Fixtures() {
  }

  /** @return a request from another service: service token, no asserted user (a platform-wide caller) */
  public static RequestSpecification asService() {
    return AsService.service().contentType(ContentType.JSON);
  }

  /**
   * @param tenantId the asserted tenant
   * @param roles the asserted roles, comma separated
   * @return a request as an API key of that tenant, asserted by the gateway
   */
  public static RequestSpecification asTenant(String tenantId, String roles) {
    return asTenant(tenantId, roles, UUID.randomUUID().toString());
  }

  /**
   * @param tenantId the asserted tenant
   * @param roles the asserted roles, comma separated
   * @param subject the asserted subject (the API key id)
   * @return a request as that API key, asserted by the gateway
   */
  public static RequestSpecification asTenant(String tenantId, String roles, String subject) {
    return AsService.apiKey(tenantId, subject, roles).contentType(ContentType.JSON);
  }

  /**
   * @param token a Keycloak access token
   * @return a request with that bearer token, as the gateway passes it through
   */
  public static RequestSpecification asUser(String token) {
    return given().auth().oauth2(token).contentType(ContentType.JSON);
  }

  /** @return an e-mail address no other test uses */
  public static String uniqueEmail(String base) {
    return base + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
  }

  /** @return a slug no other test uses */
  public static String uniqueSlug(String base) {
    return base + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /**
   * Creates a tenant (and its Keycloak organization) through the API.
   *
   * @param base start of the slug
   * @return the new tenant's id
   */
  public static String createTenant(String base) {
    String slug = uniqueSlug(base);
    return asService().body(Map.of("name", "Tenant " + slug, "slug", slug))
        .post("/api/v1/tenants")
        .then().statusCode(201).extract().path("id");
  }
}
