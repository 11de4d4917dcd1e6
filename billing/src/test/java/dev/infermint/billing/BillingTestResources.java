package dev.infermint.billing;

import io.quarkus.test.common.QuarkusTestResource;

import dev.infermint.testsupport.EmbeddedPostgresResource;
import dev.infermint.testsupport.KeycloakResource;

/**
 * Registers the real embedded PostgreSQL and the real Keycloak once for every test class of the module, so they
 * share one boot.
 */
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = KeycloakResource.class, restrictToAnnotatedClass = false)
public final class BillingTestResources {

  private BillingTestResources() {
  }
}
