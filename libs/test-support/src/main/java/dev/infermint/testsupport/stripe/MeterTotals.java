package dev.infermint.testsupport.stripe;

import java.math.BigDecimal;

/**
 * What {@link StripeServer} holds for one meter and customer.
 *
 * @param sum the sum of every accepted meter event's value plus the adjustments a test added directly
 * @param distinctIdentifiers how many meter events (distinct identifiers) were accepted; a rejected duplicate does
 *     not count, nor do adjustments
 */
public record MeterTotals(BigDecimal sum, int distinctIdentifiers) {
}
