package dev.infermint.serviceclient;

import java.time.Duration;

import jakarta.inject.Singleton;

import io.quarkus.oidc.client.runtime.AbstractTokensProducer;
import io.smallrye.mutiny.Uni;

/**
 * The calling service's own access token, for HTTP clients that are not MicroProfile REST clients (those use
 * {@code @OidcClientFilter}). quarkus-oidc-client takes it from Keycloak with the client-credentials grant of
 * {@code infermint-services}, keeps it, and takes a new one shortly before it expires; concurrent callers share one
 * request to Keycloak.
 */
@Singleton
public class ServiceTokens extends AbstractTokensProducer {

  /** Longest a blocking caller waits for Keycloak. */
  static final Duration AWAIT = Duration.ofSeconds(10);

  /** @return the value of an {@code Authorization} header carrying the service token */
  public Uni<String> authorization() {
    return getTokens().map(tokens -> "Bearer " + tokens.getAccessToken());
  }

  /**
   * Blocking variant of {@link #authorization()}, for worker threads.
   *
   * @return the value of an {@code Authorization} header carrying the service token
   */
  public String awaitAuthorization() {
    return authorization().await().atMost(AWAIT);
  }
}
