package dev.infermint.admin.client;

import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Lists tenants through the gateway on behalf of the signed-in user, with that user's access token. A call times
 * out after 5 s and is retried once when the connection fails; the circuit breaker opens for 10 s when half of the
 * last 8 calls failed with a timeout, a connection error or a 5xx (a 4xx refusal does not count: it answered).
 */
@ApplicationScoped
public class TenantsClient {

  private final TenantsRestClient rest;

  TenantsClient(@RestClient TenantsRestClient rest) {
    this.rest = rest;
  }

  /**
   * @param accessToken the signed-in user's access token, passed on so the gateway applies the user's rights
   * @return the tenants the user may see
   * @throws GatewayException when the gateway answers an error
   * @throws ProcessingException when it cannot be reached
   * @throws org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException when it is too slow
   * @throws org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException while the breaker is open
   */
  @Timeout(value = 5, unit = ChronoUnit.SECONDS)
  @Retry(maxRetries = 1, delay = 200, retryOn = ProcessingException.class)
  @CircuitBreaker(requestVolumeThreshold = 8, failureRatio = 0.5, delay = 10, delayUnit = ChronoUnit.SECONDS,
      skipOn = GatewayException.Refused.class)
  public List<Tenant> list(String accessToken) {
    JsonNode body = rest.list("Bearer " + accessToken);
    JsonNode items = body == null ? null : body.isArray() ? body
        : body.has("items") ? body.get("items") : body.get("data");
    if (items == null || !items.isArray()) {
      throw new GatewayException(502, "The gateway's tenant list is not a JSON array");
    }
    List<Tenant> tenants = new ArrayList<>(items.size());
    for (JsonNode t : items) {
      tenants.add(new Tenant(text(t, "id"), text(t, "slug"), text(t, "name"), text(t, "plan"), text(t, "status")));
    }
    return tenants;
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
