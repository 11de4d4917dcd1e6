package dev.infermint.billing.payments;

import java.math.BigDecimal;

/**
 * A hosted checkout of a licence product (one-time payment).
 *
 * @param tenantId the buying tenant
 * @param customerId its customer
 * @param productId the licence product
 * @param productName its name
 * @param price its price, in {@code currency} units
 * @param currency ISO 4217, lower case
 * @param idempotencyKey makes a retried request open the same session
 */
public record LicenseCheckoutRequest(String tenantId, String customerId, String productId, String productName,
    BigDecimal price, String currency, String idempotencyKey) {
}
