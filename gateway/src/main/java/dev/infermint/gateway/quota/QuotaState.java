package dev.infermint.gateway.quota;

import java.time.Instant;

/**
 * A tenant's live counters, read without consuming anything ({@code GET /api/v1/tenants/{id}/quota}).
 *
 * @param minuteLimit calls allowed this minute
 * @param minuteRemaining calls left this minute
 * @param minuteResetSeconds seconds until the minute's allowance refills
 * @param monthLimit calls included this calendar month (UTC)
 * @param monthUsed calls counted this month
 * @param monthResetsAt when the month's count starts again
 */
public record QuotaState(long minuteLimit, long minuteRemaining, long minuteResetSeconds, long monthLimit,
    long monthUsed, Instant monthResetsAt) {
}
