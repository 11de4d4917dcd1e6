package dev.infermint.billing.license;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /api/v1/license-products}: the licence products on sale, cheapest first; no auth (issue #11 item 6). */
@Path("/api/v1/license-products")
@Produces(MediaType.APPLICATION_JSON)
public class LicenseProductResource {

  @Inject
  LicenseProducts products;

  /** @return every licence product */
  @GET
  public List<LicenseProduct> products() {
    return products.list();
  }
}
