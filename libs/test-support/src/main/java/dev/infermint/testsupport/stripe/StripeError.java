package dev.infermint.testsupport.stripe;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Stripe API error as the stand-in answers it: an HTTP status and the {@code error} object ({@code type},
 * {@code code}, {@code message}, {@code param}). Every failure is built by one of the static factories here, so the
 * shapes stay in one place.
 */
final class StripeError extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final String type;
  private final String code;
  private final String param;
  private final Boolean shouldRetry;

  private StripeError(int status, String type, String code, String message, String param, Boolean shouldRetry) {
    super(message);
    this.status = status;
    this.type = type;
    this.code = code;
    this.param = param;
    this.shouldRetry = shouldRetry;
  }

  /** @return a 400 {@code invalid_request_error} naming the parameter at fault */
  static StripeError invalid(String message, String param) {
    return new StripeError(400, "invalid_request_error", null, message, param, null);
  }

  /** @return a 400 {@code invalid_request_error} with {@code code} {@code parameter_missing} */
  static StripeError missingParam(String param) {
    return new StripeError(400, "invalid_request_error", "parameter_missing", "Missing required param: " + param + ".",
        param, null);
  }

  /** @return a 404 {@code resource_missing}, e.g. {@code No such customer: 'cus_x'} */
  static StripeError noSuch(String what, String id, String param) {
    return new StripeError(404, "invalid_request_error", "resource_missing", "No such " + what + ": '" + id + "'",
        param, null);
  }

  /** @return a 404 {@code invoice_upcoming_none}: nothing to preview for the customer */
  static StripeError noUpcomingInvoice(String customer) {
    return new StripeError(404, "invalid_request_error", "invoice_upcoming_none",
        "No upcoming invoices for customer: " + customer, null, null);
  }

  /** @return a 400 {@code resource_already_exists} (a product created with an id that is taken) */
  static StripeError alreadyExists(String message, String param) {
    return new StripeError(400, "invalid_request_error", "resource_already_exists", message, param, null);
  }

  /**
   * A meter event whose identifier was already seen. Stripe answers 400 {@code invalid_request_error} with this
   * message and {@code Stripe-Should-Retry: false}, so stripe-java does not retry it.
   */
  static StripeError duplicateMeterEvent(String identifier) {
    return new StripeError(400, "invalid_request_error", null, "An event already exists with identifier " + identifier
        + ".", null, false);
  }

  /** @return a 400 {@code idempotency_error} (same key, other parameters or another endpoint) */
  static StripeError idempotencyMismatch(String message) {
    return new StripeError(400, "idempotency_error", null, message, null, null);
  }

  /** @return a 409 {@code idempotency_error}: the key is in use by a request still running */
  static StripeError idempotencyInFlight() {
    return new StripeError(409, "idempotency_error", null, "There is currently another in-progress request using this"
        + " Stripe-Idempotency-Key, please try again later.", null, true);
  }

  /** @return a 401 for a missing or wrong key */
  static StripeError unauthorized(String message) {
    return new StripeError(401, "invalid_request_error", null, message, null, null);
  }

  /** @return the error an injected fault answers with */
  static StripeError injected(StripeFault fault) {
    return new StripeError(fault.status(), fault.type(), fault.code(), fault.message(), null, null);
  }

  /** @return a 500 {@code api_error}: the stand-in itself failed (the message says how) */
  static StripeError internal(String message) {
    return new StripeError(500, "api_error", null, message, null, null);
  }

  /** @return a 400 for a request this stand-in does not model (said plainly so a test author sees the gap) */
  static StripeError unsupported(String message) {
    return new StripeError(400, "invalid_request_error", null, "[stripe stand-in] " + message, null, null);
  }

  int status() {
    return status;
  }

  /**
   * @return the {@code Stripe-Should-Retry} header to send, or null for none; Stripe sets it on some answers and
   *     stripe-java honours it over its own rules
   */
  Boolean shouldRetry() {
    return shouldRetry;
  }

  /** @return {@code {"error": {...}}} as Stripe sends it */
  Map<String, Object> body() {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("type", type);
    if (code != null) {
      error.put("code", code);
    }
    error.put("message", getMessage());
    if (param != null) {
      error.put("param", param);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", error);
    return body;
  }
}
