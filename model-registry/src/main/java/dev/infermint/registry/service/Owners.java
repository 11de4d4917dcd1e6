package dev.infermint.registry.service;

import java.util.List;

/** Who owns a model: a tenant id, or {@link #PUBLIC} for the catalog every tenant reads. */
public final class Owners {

  /** Owner of the public catalog, readable by every tenant. */
  public static final String PUBLIC = "public";
  /** The alias inference uses when no version is named. */
  public static final String PRODUCTION = "production";

  private Owners() {
  }

  /**
   * @param tenant a tenant id, may be null or blank
   * @return the owners a tenant sees, its own first
   */
  public static List<String> visibleOwners(String tenant) {
    return tenant == null || tenant.isBlank() || tenant.equals(PUBLIC) ? List.of(PUBLIC) : List.of(tenant, PUBLIC);
  }
}
