package dev.infermint.billing;

import io.quarkus.test.common.QuarkusTestResource;

import dev.infermint.testsupport.EmbeddedPostgresResource;

/** Registers the real embedded PostgreSQL once for every test class of the module, so they share one boot. */
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
public final class BillingTestResources {

  private BillingTestResources() {
  }
}
