package dev.infermint.worker;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

import dev.infermint.testsupport.AsService;

/** Requests as the gateway sends them: its service token plus the identity it asserts for an API key. */
public final class AsGateway {

  private AsGateway() {
  }

  /**
   * @param tenant the tenant the API key belongs to
   * @return a JSON request specification carrying the gateway's headers
   */
  public static RequestSpecification tenant(String tenant) {
    return AsService.apiKey(tenant, "key-of-" + tenant, "inference").contentType(ContentType.JSON);
  }
}
