package dev.infermint.billing.license;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.infermint.billing.config.LicenseProductsConfig;
import dev.infermint.billing.config.PlansConfig;

/** The licence product catalog, read from configuration once and checked at boot; cheapest first. */
@ApplicationScoped
public class LicenseProducts {

  private static final Pattern ID = Pattern.compile("^[a-z0-9][a-z0-9_-]{0,63}$");
  private static final Pattern ENTITLEMENT = Pattern.compile("^[a-z0-9][a-z0-9._:-]{0,127}$");

  private final List<LicenseProduct> products;

  /**
   * @param config the configured products
   * @param plans for the currency
   * @throws IllegalArgumentException for a product with a bad id, a price not above 0, no entitlements, or a
   *     node-locked product with more than one machine
   */
  @Inject
  public LicenseProducts(LicenseProductsConfig config, PlansConfig plans) {
    this.products = config.catalog().entrySet().stream().map(e -> {
      String id = e.getKey();
      LicenseProductsConfig.Product p = e.getValue();
      String where = "infermint.license-products." + id;
      if (!ID.matcher(id).matches()) {
        throw new IllegalArgumentException(where + ": ids are lower case letters, digits, '_' and '-'");
      }
      if (p.price().signum() <= 0) {
        throw new IllegalArgumentException(where + ".price must be above 0");
      }
      if (p.entitlements().isEmpty() || !p.entitlements().stream().allMatch(c -> ENTITLEMENT.matcher(c).matches())) {
        throw new IllegalArgumentException(where + ".entitlements must be entitlement codes, e.g. model:minilm");
      }
      if (p.maxMachines() < 1 || (!p.floating() && p.maxMachines() != 1)) {
        throw new IllegalArgumentException(where + ".max-machines must be at least 1, and 1 when not floating");
      }
      return new LicenseProduct(id, p.name(), p.price(), plans.currency().toLowerCase(Locale.ROOT),
          List.copyOf(p.entitlements()), p.maxMachines(), p.duration().map(Object::toString).orElse(null),
          p.floating());
    }).sorted(Comparator.comparing(LicenseProduct::price).thenComparing(LicenseProduct::id)).toList();
  }

  /** @return every product, cheapest first */
  public List<LicenseProduct> list() {
    return products;
  }

  /**
   * @param id a product id
   * @return the product, if configured
   */
  public Optional<LicenseProduct> find(String id) {
    return products.stream().filter(p -> p.id().equals(id)).findFirst();
  }
}
