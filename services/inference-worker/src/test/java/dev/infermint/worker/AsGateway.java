package dev.infermint.worker;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** Requests as the gateway sends them: the internal token plus the identity it asserts for an API key. */
public final class AsGateway {

  private AsGateway() {
  }

  /**
   * @param tenant the tenant the API key belongs to
   * @return a JSON request specification carrying the gateway's headers
   */
  public static RequestSpecification tenant(String tenant) {
    return given()
        .contentType(ContentType.JSON)
        .header("X-Infermint-Internal-Token", LocalRegistryResource.TOKEN)
        .header("X-Infermint-Caller-Kind", "API_KEY")
        .header("X-Infermint-Subject", "key-of-" + tenant)
        .header("X-Infermint-Tenant-Id", tenant)
        .header("X-Infermint-Roles", "inference");
  }
}
