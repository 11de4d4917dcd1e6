package dev.infermint.gateway.routing;

import java.net.URI;
import java.util.regex.Pattern;

import dev.infermint.gateway.config.GatewayConfig;

/** Which service owns a management path under {@code /api/v1}. */
final class ServiceRoutes {

  private static final Pattern BILLING_TENANT_PATH =
      Pattern.compile("^/api/v1/tenants/[^/]+/"
          + "(usage|plan|checkout|billing-portal|invoices|license-checkout|license-purchases)(/.*)?$");

  private ServiceRoutes() {
  }

  /**
   * @param path the request path
   * @param config the service URLs
   * @return the owning service's base URL, or null when no service owns the path
   */
  static URI owner(String path, GatewayConfig config) {
    if (path.equals("/api/v1/plans") || path.startsWith("/api/v1/plans/") || path.equals("/api/v1/license-products")
        || path.equals("/api/v1/licenses") || path.startsWith("/api/v1/licenses/")
        || path.startsWith("/api/v1/stripe/") || path.startsWith("/api/v1/billing/")
        || BILLING_TENANT_PATH.matcher(path).matches()) {
      return config.billingUrl();
    }
    if (path.equals("/api/v1/models") || path.startsWith("/api/v1/models/")) {
      return config.registryUrl();
    }
    if (path.equals("/api/v1/tenants") || path.startsWith("/api/v1/tenants/")) {
      return config.tenantsUrl();
    }
    return null;
  }
}
