package dev.infermint.testsupport.stripe;

import java.math.BigDecimal;
import java.util.UUID;

import com.stripe.StripeClient;
import com.stripe.exception.StripeException;
import com.stripe.model.Customer;
import com.stripe.model.Price;
import com.stripe.model.Product;
import com.stripe.model.billing.Meter;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.PriceCreateParams;
import com.stripe.param.ProductCreateParams;
import com.stripe.param.billing.MeterCreateParams;

/** The catalog objects several tests need, created through the real client. */
final class StripeFixtures {

  private StripeFixtures() {
  }

  static String unique(String prefix) {
    return prefix + "_" + UUID.randomUUID().toString().substring(0, 8);
  }

  static Customer customer(StripeClient client, String tenantId) throws StripeException {
    return client.v1().customers().create(CustomerCreateParams.builder().setEmail(tenantId + "@example.test")
        .setName("Tenant " + tenantId).putMetadata("tenant_id", tenantId).build());
  }

  static Product product(StripeClient client, String name) throws StripeException {
    return client.v1().products().create(ProductCreateParams.builder().setName(name).build());
  }

  static Meter meter(StripeClient client, String eventName) throws StripeException {
    return client.v1().billing().meters().create(MeterCreateParams.builder().setDisplayName("Tokens")
        .setEventName(eventName)
        .setDefaultAggregation(MeterCreateParams.DefaultAggregation.builder()
            .setFormula(MeterCreateParams.DefaultAggregation.Formula.SUM).build())
        .setCustomerMapping(MeterCreateParams.CustomerMapping.builder().setEventPayloadKey("stripe_customer_id")
            .setType(MeterCreateParams.CustomerMapping.Type.BY_ID).build())
        .setValueSettings(MeterCreateParams.ValueSettings.builder().setEventPayloadKey("value").build())
        .build());
  }

  static Price licensedPrice(StripeClient client, String productId, String lookupKey, long cents)
      throws StripeException {
    return client.v1().prices().create(PriceCreateParams.builder().setCurrency("usd").setUnitAmount(cents)
        .setProduct(productId).setLookupKey(lookupKey).setNickname("Pro monthly")
        .setRecurring(PriceCreateParams.Recurring.builder().setInterval(PriceCreateParams.Recurring.Interval.MONTH)
            .setUsageType(PriceCreateParams.Recurring.UsageType.LICENSED).build())
        .build());
  }

  static Price meteredPrice(StripeClient client, String productId, String lookupKey, String meterId,
      String unitAmountDecimal) throws StripeException {
    return client.v1().prices().create(PriceCreateParams.builder().setCurrency("usd")
        .setUnitAmountDecimal(new BigDecimal(unitAmountDecimal)).setProduct(productId)
        .setLookupKey(lookupKey)
        .setRecurring(PriceCreateParams.Recurring.builder().setInterval(PriceCreateParams.Recurring.Interval.MONTH)
            .setUsageType(PriceCreateParams.Recurring.UsageType.METERED).setMeter(meterId).build())
        .build());
  }
}
