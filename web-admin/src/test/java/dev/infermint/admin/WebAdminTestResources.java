package dev.infermint.admin;

import io.quarkus.test.common.QuarkusTestResource;

import dev.infermint.testsupport.EmbeddedRedisResource;
import dev.infermint.testsupport.KeycloakResource;

/**
 * Registers the module's test resources once, for every test class, so they share one Quarkus boot: a real Keycloak
 * (realm {@code infermint}), a real Redis (the sessions' tokens live there) and a stand-in for the gateway.
 */
@QuarkusTestResource(value = KeycloakResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = EmbeddedRedisResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = GatewayStandIn.class, restrictToAnnotatedClass = false)
public final class WebAdminTestResources {

  private WebAdminTestResources() {
  }
}
