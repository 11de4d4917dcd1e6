package dev.infermint.billing.subscriptions;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;

import dev.infermint.auth.Caller;

/**
 * {@code POST /api/v1/tenants/{tenantId}/checkout} {@code {plan}} and {@code POST .../billing-portal}: the
 * processor's hosted checkout of a plan's subscription, and its customer portal (change plan, payment method,
 * cancel, invoices). Both need the tenant's admin (a user with tenant-admin, or an API key with scope admin) or a
 * platform admin; another tenant's id is 404. The tenant's plan changes when the processor's webhook says the
 * subscription is paid for, not here.
 */
@Path("/api/v1/tenants/{tenantId}")
@Produces(MediaType.APPLICATION_JSON)
public class CheckoutResource {

  /** Header that makes a retried checkout request open the same session. */
  public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

  /** The body of a checkout: the plan to subscribe to. */
  public record CheckoutBody(String plan) {
  }

  /** A hosted page to send the customer to. */
  public record HostedPage(String url) {
  }

  @Inject
  Caller caller;
  @Inject
  CheckoutService checkouts;

  /**
   * @param tenantId the buying tenant
   * @param body the plan
   * @param idempotencyKey the client's key for retries; optional
   * @return the Checkout Session's url
   */
  @POST
  @Path("checkout")
  @Consumes(MediaType.APPLICATION_JSON)
  public HostedPage checkout(@RestPath String tenantId, CheckoutBody body,
      @RestHeader(IDEMPOTENCY_KEY) String idempotencyKey) {
    caller.requireTenantAdmin(tenantId);
    return new HostedPage(checkouts.checkout(tenantId, body == null ? null : body.plan(), idempotencyKey));
  }

  /**
   * @param tenantId the tenant
   * @return the Customer Portal session's url
   */
  @POST
  @Path("billing-portal")
  public HostedPage portal(@RestPath String tenantId) {
    caller.requireTenantAdmin(tenantId);
    return new HostedPage(checkouts.portal(tenantId));
  }
}
