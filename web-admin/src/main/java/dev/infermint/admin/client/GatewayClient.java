package dev.infermint.admin.client;

import java.time.temporal.ChronoUnit;
import java.util.function.BiFunction;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Calls the gateway's management API on behalf of the signed-in user, with that user's access token (refreshed by
 * quarkus-oidc when it expires). Reads time out after 5 s and are retried once when the connection fails; writes
 * time out after 30 s and are never retried (a create must not happen twice). The circuit breaker opens for 10 s
 * when half of the last 8 calls failed with a timeout, a connection error or a 5xx; a 4xx refusal does not count,
 * since the gateway answered.
 */
@ApplicationScoped
public class GatewayClient {

  private final GatewayRestClient rest;
  private final SecurityIdentity identity;

  GatewayClient(@RestClient GatewayRestClient rest, SecurityIdentity identity) {
    this.rest = rest;
    this.identity = identity;
  }

  /**
   * A call that changes nothing.
   *
   * @param call the call, given the REST client and the {@code Authorization} value to send
   * @param <T> what it answers
   * @return its answer
   * @throws GatewayException when the gateway answers an error
   * @throws ProcessingException when it cannot be reached
   */
  @Timeout(value = 5, unit = ChronoUnit.SECONDS)
  @Retry(maxRetries = 1, delay = 200, retryOn = ProcessingException.class)
  @CircuitBreaker(requestVolumeThreshold = 8, failureRatio = 0.5, delay = 10, delayUnit = ChronoUnit.SECONDS,
      skipOn = GatewayException.Refused.class)
  public <T> T read(BiFunction<GatewayRestClient, String, T> call) {
    return call.apply(rest, bearer());
  }

  /**
   * A call that changes something: never retried.
   *
   * @param call the call, given the REST client and the {@code Authorization} value to send
   * @param <T> what it answers
   * @return its answer
   * @throws GatewayException when the gateway answers an error
   * @throws ProcessingException when it cannot be reached
   */
  @Timeout(value = 30, unit = ChronoUnit.SECONDS)
  @CircuitBreaker(requestVolumeThreshold = 8, failureRatio = 0.5, delay = 10, delayUnit = ChronoUnit.SECONDS,
      skipOn = GatewayException.Refused.class)
  public <T> T write(BiFunction<GatewayRestClient, String, T> call) {
    return call.apply(rest, bearer());
  }

  /**
   * An inference call with an API key the user typed (the inference API takes only keys): never retried, since a
   * call is billed.
   *
   * @param apiKey the {@code imk_} key
   * @param call the call, given the REST client and the {@code Authorization} value to send
   * @param <T> what it answers
   * @return its answer
   */
  @Timeout(value = 30, unit = ChronoUnit.SECONDS)
  public <T> T withKey(String apiKey, BiFunction<GatewayRestClient, String, T> call) {
    return call.apply(rest, "Bearer " + apiKey);
  }

  /** @return {@code Bearer <the signed-in user's access token>} */
  public String bearer() {
    AccessTokenCredential credential = identity.getCredential(AccessTokenCredential.class);
    if (credential == null) {
      throw new IllegalStateException("No access token in the session; is quarkus.oidc.application-type web-app?");
    }
    return "Bearer " + credential.getToken();
  }
}
