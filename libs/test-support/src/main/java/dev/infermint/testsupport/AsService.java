package dev.infermint.testsupport;

import static io.restassured.RestAssured.given;

import io.restassured.specification.RequestSpecification;

/**
 * Requests as another Infermint service makes them: the service token of {@code infermint-services} as bearer
 * token, and, for a caller the gateway checked, that caller asserted in {@code X-Infermint-*} headers.
 */
public final class AsService {

  private AsService() {
  }

  /** @return a request of a service acting for itself (platform-wide) */
  public static RequestSpecification service() {
    return given().auth().oauth2(TestTokens.service());
  }

  /**
   * @param tenantId the key's tenant
   * @param subject the key's id
   * @param roles the roles its scopes grant, comma separated
   * @return a request of an API key that the gateway checked and asserts
   */
  public static RequestSpecification apiKey(String tenantId, String subject, String roles) {
    return service()
        .header("X-Infermint-Caller-Kind", "API_KEY")
        .header("X-Infermint-Subject", subject)
        .header("X-Infermint-Tenant-Id", tenantId)
        .header("X-Infermint-Roles", roles);
  }
}
