package dev.infermint.billing.payments;

import java.util.Map;

/**
 * The processor's ids of the plan catalog.
 *
 * @param meterId the overage meter
 * @param meterEventName the meter's event name
 * @param plans per plan id
 */
public record CatalogIds(String meterId, String meterEventName, Map<String, PlanPrices> plans) {

  /**
   * @param productId the plan's product
   * @param flatPriceId the flat monthly price
   * @param overagePriceId the metered overage price; null for plans that block past their quota
   */
  public record PlanPrices(String productId, String flatPriceId, String overagePriceId) {
  }
}
