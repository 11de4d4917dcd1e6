package dev.infermint.billing.license;

import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestPath;

import dev.infermint.auth.Caller;

/**
 * {@code POST /api/v1/tenants/{tenantId}/license-purchases/{sessionId}/key}: the key of the licence a checkout
 * bought, shown once (the console calls it from Checkout's success page, which carries the session id).
 */
@Path("/api/v1/tenants/{tenantId}/license-purchases/{sessionId}/key")
@Produces(MediaType.APPLICATION_JSON)
public class LicenseKeyClaimResource {

  @Inject
  Caller caller;
  @Inject
  LicenseService licenses;

  /**
   * @param tenantId the buying tenant (its admin, an admin-scope key of it, or a platform admin)
   * @param sessionId the checkout session
   * @return the licence with its key; 404 before the payment's webhook issued it or for another tenant; 409
   *     {@code key_already_claimed} the second time
   */
  @POST
  public LicenseResource.LicenseBody claim(@RestPath String tenantId, @RestPath String sessionId) {
    return LicenseResource.LicenseBody.of(licenses.claimPurchaseKey(caller, tenantId, sessionId));
  }
}
