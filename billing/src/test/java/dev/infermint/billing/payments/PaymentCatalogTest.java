package dev.infermint.billing.payments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

import com.stripe.exception.StripeException;
import com.stripe.model.Price;
import com.stripe.param.PriceListParams;

import dev.infermint.billing.StripeResource;
import dev.infermint.billing.service.Plan;
import dev.infermint.billing.service.PlanService;
import dev.infermint.testsupport.stripe.StripeServer;

/**
 * The plan catalog at Stripe: made at boot from billing's plans (product, flat monthly price, metered overage price
 * on the one overage meter), matched by lookup key on the next start, and replaced, not edited, when a price changes.
 */
@QuarkusTest
class PaymentCatalogTest {

  @Inject
  PaymentCatalog catalog;
  @Inject
  PaymentProvider provider;
  @Inject
  PlanService plans;

  @Test
  void everyPlanIsAProductWithItsPricesAtStripe() throws StripeException {
    CatalogIds ids = catalog.ids().orElseThrow();
    assertEquals(plans.list().stream().map(Plan::id).sorted().toList(), ids.plans().keySet().stream().sorted().toList());
    assertEquals("infermint_overage_requests", ids.meterEventName());

    StripeServer stripe = StripeResource.server();
    Price proMonthly = price(stripe, "infermint_pro_monthly");
    assertEquals(ids.plans().get("pro").flatPriceId(), proMonthly.getId());
    assertEquals(4900L, proMonthly.getUnitAmount(), "pro costs 49.00 usd a month");
    assertEquals("usd", proMonthly.getCurrency());
    assertEquals("month", proMonthly.getRecurring().getInterval());
    assertEquals("licensed", proMonthly.getRecurring().getUsageType());

    Price proOverage = price(stripe, "infermint_pro_overage");
    assertEquals(ids.plans().get("pro").overagePriceId(), proOverage.getId());
    assertEquals(0, new BigDecimal("0.05").compareTo(proOverage.getUnitAmountDecimal()),
        "0.50 usd per 1,000 requests is 0.05 cents per request: " + proOverage.getUnitAmountDecimal());
    assertEquals("metered", proOverage.getRecurring().getUsageType());
    assertEquals(ids.meterId(), proOverage.getRecurring().getMeter());
    assertEquals(proMonthly.getProduct(), proOverage.getProduct(), "one product per plan");

    assertNull(ids.plans().get("free").overagePriceId(), "free blocks past its quota: nothing to meter");
  }

  @Test
  void aSecondSyncMatchesByLookupKeyAndAChangedPriceIsReplaced() throws StripeException {
    StripeServer stripe = StripeResource.server();
    CatalogIds before = catalog.ids().orElseThrow();
    int pricesMade = stripe.callCount("POST", "/v1/prices");
    int productsMade = stripe.callCount("POST", "/v1/products");
    int metersMade = stripe.callCount("POST", "/v1/billing/meters");

    CatalogIds again = provider.syncCatalog(plans.list());
    assertEquals(before, again, "an unchanged catalog matches what exists");
    assertEquals(pricesMade, stripe.callCount("POST", "/v1/prices"));
    assertEquals(productsMade, stripe.callCount("POST", "/v1/products"));
    assertEquals(metersMade, stripe.callCount("POST", "/v1/billing/meters"));

    // The enterprise plan's price goes up: a new price takes the lookup key over; the product stays.
    List<Plan> raised = plans.list().stream().map(p -> !p.id().equals("enterprise") ? p
        : new Plan(p.id(), p.name(), new BigDecimal("599"), p.currency(), p.limits(), p.overage(), p.overagePer1000()))
        .toList();
    CatalogIds changed = provider.syncCatalog(raised);
    CatalogIds.PlanPrices was = before.plans().get("enterprise");
    CatalogIds.PlanPrices now = changed.plans().get("enterprise");
    assertNotEquals(was.flatPriceId(), now.flatPriceId());
    assertEquals(was.productId(), now.productId());
    assertEquals(was.overagePriceId(), now.overagePriceId(), "the overage price did not change");
    assertEquals(59900L, price(stripe, "infermint_enterprise_monthly").getUnitAmount());
    assertEquals(pricesMade + 1, stripe.callCount("POST", "/v1/prices"));

    // Back to the configured price for the other tests (a new price again, as at Stripe).
    provider.syncCatalog(plans.list());
    assertEquals(49900L, price(stripe, "infermint_enterprise_monthly").getUnitAmount());
  }

  private static Price price(StripeServer stripe, String lookupKey) throws StripeException {
    List<Price> found = stripe.client().prices().list(PriceListParams.builder().addLookupKey(lookupKey).build())
        .getData();
    assertEquals(1, found.size(), "one active price holds " + lookupKey + ": " + found);
    assertNotNull(found.get(0).getRecurring());
    assertTrue(found.get(0).getActive());
    return found.get(0);
  }
}
