package dev.infermint.billing.config;

import java.math.BigDecimal;
import java.time.Period;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;

/**
 * Licence products sold through Checkout, from {@code infermint.license-products.<id>.*}: {@code name},
 * {@code price} (one-time, in {@code infermint.plans.currency}), {@code entitlements}, {@code max-machines},
 * {@code duration} (ISO-8601 period; absent: perpetual) and {@code floating}.
 */
@ConfigMapping(prefix = "infermint.license-products")
public interface LicenseProductsConfig {

  /** The products by id. */
  @WithParentName
  Map<String, Product> catalog();

  /** One product. */
  interface Product {

    /** Name shown to people. */
    String name();

    /** One-time price in the plans' currency (not cents). */
    BigDecimal price();

    /** Entitlement codes the licence holds, e.g. {@code model:all-minilm-l6-v2}. */
    List<String> entitlements();

    /** Machines the licence may activate at once. */
    @WithDefault("1")
    int maxMachines();

    /** How long the licence lasts from purchase; absent: perpetual. */
    Optional<Period> duration();

    /** Floating (several machines) or node-locked (one). */
    @WithDefault("true")
    boolean floating();
  }
}
