package dev.infermint.billing.license;


import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;

import dev.infermint.auth.Caller;
import dev.infermint.billing.payments.IdempotencyKeys;
import dev.infermint.billing.payments.LicenseCheckoutRequest;
import dev.infermint.billing.payments.PaymentCustomers;
import dev.infermint.billing.payments.PaymentProvider;
import dev.infermint.billing.payments.PaymentsDisabledException;
import dev.infermint.problem.Problems;

/**
 * {@code POST /api/v1/tenants/{tenantId}/license-checkout} (issue #11 item 6): a Checkout of a one-time payment for a
 * licence product; the webhook ({@code checkout.session.completed}, see {@code WebhookService}) issues the licence,
 * and {@link LicenseKeyClaimResource} shows its key once.
 */
@Path("/api/v1/tenants/{tenantId}/license-checkout")
@Produces(MediaType.APPLICATION_JSON)
public class LicensePurchaseResource {

  /** The body of a licence checkout. */
  public record CheckoutBody(String product) {
  }

  /** A hosted page. */
  public record HostedPage(String url) {
  }

  @Inject
  Caller caller;
  @Inject
  LicenseProducts products;
  @Inject
  PaymentProvider provider;
  @Inject
  PaymentCustomers customers;

  /**
   * {@code POST /api/v1/tenants/{tenantId}/license-checkout} {@code {product}}: a Checkout Session (mode payment).
   *
   * @param tenantId the buying tenant (its admin, an admin-scope key of it, or a platform admin)
   * @param body the product
   * @param idempotencyKey the client's, so that a retried request opens the same session
   * @return the session's url
   */
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public HostedPage checkout(@RestPath String tenantId, CheckoutBody body,
      @RestHeader("Idempotency-Key") String idempotencyKey) {
    caller.requireTenantAdmin(tenantId);
    if (!provider.capabilities().contains(PaymentProvider.Capability.CHECKOUT)) {
      throw new PaymentsDisabledException(provider.id(), PaymentProvider.Capability.CHECKOUT);
    }
    String id = body == null ? null : body.product();
    LicenseProduct product = id == null ? null : products.find(id).orElse(null);
    if (product == null) {
      throw Problems.validation("product", (id == null ? "is required" : "'" + id + "' is not a licence product")
          + "; products: " + products.list().stream().map(LicenseProduct::id).toList());
    }
    String customerId = customers.ensure(tenantId);
    String attempt = IdempotencyKeys.attempt(idempotencyKey);
    return new HostedPage(provider.licenseCheckout(new LicenseCheckoutRequest(tenantId, customerId, product.id(),
        product.name(), product.price(), product.currency(), "license-checkout-" + tenantId + "-" + product.id()
            + "-" + attempt)));
  }
}
