package dev.infermint.billing.license;

import java.math.BigDecimal;
import java.util.List;

/**
 * A licence product of the catalog, as {@code GET /api/v1/license-products} lists it.
 *
 * @param id product id (the licence's {@code product})
 * @param name name shown to people
 * @param price one-time price, in {@code currency} units
 * @param currency ISO 4217, lower case
 * @param entitlements what the licence entitles, e.g. {@code model:all-minilm-l6-v2}
 * @param maxMachines machines it may activate at once
 * @param duration ISO-8601 period it lasts from purchase; null: perpetual
 * @param floating floating or node-locked
 */
public record LicenseProduct(String id, String name, BigDecimal price, String currency, List<String> entitlements,
    int maxMachines, String duration, boolean floating) {
}
