package dev.infermint.tenants.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Settings of the tenants service. Keycloak's address and the service credentials are shared settings
 * ({@code infermint.keycloak.*}) that {@code application.properties} hands to quarkus-oidc and to the admin client
 * ({@code quarkus.keycloak.admin-client.*}).
 */
@ConfigMapping(prefix = "infermint.tenants")
public interface TenantsConfig {

  /** The Keycloak realm that holds Infermint's users and the organizations behind tenants. */
  @WithDefault("infermint")
  String realm();
}
