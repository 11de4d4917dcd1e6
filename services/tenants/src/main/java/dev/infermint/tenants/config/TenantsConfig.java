package dev.infermint.tenants.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Settings of the tenants service. Keycloak's address and the service credentials are shared settings
 * ({@code infermint.keycloak.*}) that {@code application.properties} hands to quarkus-oidc and to the admin client
 * ({@code quarkus.keycloak.admin-client.*}); billing's address is the REST client's
 * ({@code quarkus.rest-client.billing.url}).
 */
@ConfigMapping(prefix = "infermint.tenants")
public interface TenantsConfig {

  /** The Keycloak realm that holds Infermint's users and the organizations behind tenants. */
  @WithDefault("infermint")
  String realm();

  /**
   * The plan of a tenant created without one; an id in billing's plan catalog. It is not checked against the catalog
   * on each request, so tenants without a plan can be created while billing is down.
   */
  @WithDefault("free")
  String defaultPlan();

  /** How long billing's plan catalog is used before it is read again (and, while billing fails, kept for). */
  @WithDefault("30S")
  Duration planCatalogTtl();
}
