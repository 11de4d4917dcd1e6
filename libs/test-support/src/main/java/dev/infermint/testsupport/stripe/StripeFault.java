package dev.infermint.testsupport.stripe;

import java.time.Duration;

/**
 * A failure {@link StripeServer} answers instead of running a call: a Stripe error body with a status, or a dropped
 * connection (the answer breaks off, so stripe-java raises {@code ApiConnectionException}), optionally after a
 * delay. Injected faults sit in front of the API: they are recorded and counted like any call, but never stored
 * under an idempotency key, so a retry after the fault is cleared runs for real. The one exception is
 * {@link #dropAfterRunning()}: the call runs (and its answer is stored under its key), only the answer is lost.
 *
 * @param status HTTP status (ignored when {@code drop})
 * @param type Stripe error type: {@code api_error}, {@code invalid_request_error}, {@code card_error}, ...
 * @param code Stripe error code such as {@code rate_limit}, or null
 * @param message the error message
 * @param drop close the connection without answering
 * @param delay wait this long before failing (e.g. to trip a client timeout); {@link Duration#ZERO} for none
 * @param runFirst run the call before dropping the connection (only with {@code drop})
 */
public record StripeFault(int status, String type, String code, String message, boolean drop, Duration delay,
    boolean runFirst) {

  /** @return 500 {@code api_error}, what Stripe answers when something went wrong on its side */
  public static StripeFault apiError() {
    return new StripeFault(500, "api_error", null, "An unknown error occurred", false, Duration.ZERO, false);
  }

  /** @return 429 {@code rate_limit}, Stripe's answer to too many requests */
  public static StripeFault rateLimit() {
    return new StripeFault(429, "invalid_request_error", "rate_limit",
        "Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.", false,
        Duration.ZERO, false);
  }

  /** @return 402 {@code card_error} {@code card_declined} */
  public static StripeFault cardDeclined() {
    return new StripeFault(402, "card_error", "card_declined", "Your card was declined.", false, Duration.ZERO,
        false);
  }

  /**
   * @param status any HTTP status; 5xx answer {@code api_error}, 429 as {@link #rateLimit()}, others
   *     {@code invalid_request_error}
   * @return a fault with Stripe's usual type for that status
   */
  public static StripeFault status(int status) {
    if (status == 429) {
      return rateLimit();
    }
    if (status == 402) {
      return cardDeclined();
    }
    String type = status >= 500 ? "api_error" : "invalid_request_error";
    return new StripeFault(status, type, null, "Injected failure (HTTP " + status + ")", false, Duration.ZERO,
        false);
  }

  /** @return a fault that closes the connection without an answer */
  public static StripeFault dropConnection() {
    return new StripeFault(0, null, null, null, true, Duration.ZERO, false);
  }

  /**
   * A fault that runs the call (its side effects and idempotent answer stand) and then drops the connection: the
   * client cannot know it succeeded, which is what idempotency keys are for. stripe-java does not retry a broken
   * answer by itself (it retries connect failures and timeouts), so the caller's own retry with the same key is
   * what recovers.
   *
   * @return the fault
   */
  public static StripeFault dropAfterRunning() {
    return new StripeFault(0, null, null, null, true, Duration.ZERO, true);
  }

  /**
   * @param delay how long to wait first
   * @return this fault, answered after {@code delay}
   */
  public StripeFault after(Duration delay) {
    return new StripeFault(status, type, code, message, drop, delay, runFirst);
  }
}
