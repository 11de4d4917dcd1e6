package dev.infermint.tenants.service;

import java.util.Locale;

import dev.infermint.auth.Caller;
import dev.infermint.problem.RequestIds;

/**
 * Who performs a management action, as the audit log records it and as the services need it to decide what a
 * deleted tenant shows.
 *
 * @param subject the caller's subject (user id or API key id), null for a service call without one
 * @param kind {@code user}, {@code api_key} or {@code service}
 * @param requestId the request's {@code X-Request-Id}, or null when it carried none (or an unsafe one)
 * @param platformAdmin whether the caller acts for the whole platform (role {@code platform-admin} or a service)
 */
public record Actor(String subject, String kind, String requestId, boolean platformAdmin) {

  /**
   * @param caller the request's caller
   * @param requestIdHeader the request's {@code X-Request-Id} header, may be null
   * @return the actor
   */
  public static Actor of(Caller caller, String requestIdHeader) {
    String requestId = requestIdHeader != null && RequestIds.sanitize(requestIdHeader).equals(requestIdHeader)
        ? requestIdHeader : null;
    return new Actor(caller.subject(), caller.kind().name().toLowerCase(Locale.ROOT), requestId,
        caller.platformAdmin());
  }
}
