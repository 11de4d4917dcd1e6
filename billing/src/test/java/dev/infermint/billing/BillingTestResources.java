package dev.infermint.billing;

import io.quarkus.test.common.QuarkusTestResource;

import dev.infermint.billing.metering.OutageRedisResource;
import dev.infermint.testsupport.EmbeddedPostgresResource;
import dev.infermint.testsupport.EmbeddedRedisResource;
import dev.infermint.testsupport.KeycloakResource;

/**
 * Registers the real embedded PostgreSQL, the real Redis (the run's shared one, or one started here), the real
 * Keycloak, a second Redis client for outage tests, and a Stripe-shaped server (the Stripe provider is on) once for every test class of the module, so they share one
 * boot.
 */
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = EmbeddedRedisResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = KeycloakResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = OutageRedisResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = StripeResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = dev.infermint.billing.license.RegistryStandIn.class, restrictToAnnotatedClass = false)
public final class BillingTestResources {

  private BillingTestResources() {
  }
}
