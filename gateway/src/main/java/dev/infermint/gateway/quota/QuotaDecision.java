package dev.infermint.gateway.quota;

/**
 * Whether one call was admitted, with what the {@code X-RateLimit-*} headers report.
 *
 * @param admitted whether the call may go on
 * @param limit the per-minute limit
 * @param remaining calls left in the current window after this one
 * @param resetSeconds seconds until the window refills
 * @param retryAfterSeconds when refused, seconds until a call would be admitted
 */
public record QuotaDecision(boolean admitted, long limit, long remaining, long resetSeconds, long retryAfterSeconds) {
}
