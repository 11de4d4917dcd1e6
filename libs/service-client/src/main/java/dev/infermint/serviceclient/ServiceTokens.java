package dev.infermint.serviceclient;

import java.time.Duration;

import jakarta.inject.Singleton;

import io.quarkus.oidc.client.Tokens;
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

  /** The tokens last taken and their header value, for {@link #heldAuthorization()}. */
  private record Held(Tokens tokens, String header) {
  }

  private volatile Held held;

  /** @return the value of an {@code Authorization} header carrying the service token */
  public Uni<String> authorization() {
    return getTokens().map(tokens -> {
      Held h = held;
      if (h == null || h.tokens() != tokens) {
        h = new Held(tokens, "Bearer " + tokens.getAccessToken());
        held = h;
      }
      return h.header();
    });
  }

  /**
   * The header for the token taken last, without going through Mutiny: for a caller on an event loop's hot path,
   * where {@link #authorization()} would cost a Uni, a context capture and a CompletionStage per call.
   *
   * @return the header value, or null when no token was taken yet or the one held is expired or due for renewal
   *     (then {@link #authorization()} takes the next)
   */
  public String heldAuthorization() {
    Held h = held;
    if (h == null || h.tokens().isAccessTokenExpired() || h.tokens().isAccessTokenWithinRefreshInterval()) {
      return null;
    }
    return h.header();
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
