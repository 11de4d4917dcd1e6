package dev.infermint.billing.payments;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;

import com.fasterxml.jackson.databind.JsonNode;

import dev.infermint.billing.client.TenantsClient;
import dev.infermint.problem.Problems;

/**
 * Every tenant's customer at the payment processor, kept in {@code billing.payment_customer}. A customer is made
 * when the tenants service announces a new tenant ({@link TenantCreatedListener}), by a backfill over every tenant
 * at start and then periodically (tenants created while billing was down, or before Stripe was turned on), and on
 * demand by any call that needs one (checkout, portal, invoices).
 */
@ApplicationScoped
public class PaymentCustomers {

  private static final Logger LOG = Logger.getLogger(PaymentCustomers.class);
  private static final int PAGE = 200;

  @Inject
  PaymentProvider provider;
  @Inject
  TenantsClient tenants;
  @Inject
  EntityManager em;
  @Inject
  MeterRegistry metrics;

  /** @return whether the provider keeps customers at all */
  public boolean enabled() {
    return provider.capabilities().contains(PaymentProvider.Capability.CUSTOMERS);
  }

  /**
   * @param tenantId a tenant
   * @return its stored customer id, if it has one
   */
  public Optional<String> stored(String tenantId) {
    return QuarkusTransaction.joiningExisting().call(() -> em.createNativeQuery(
        "SELECT customer_id FROM {h-schema}payment_customer WHERE tenant_id = ?1 AND provider = ?2", String.class)
        .setParameter(1, tenantId).setParameter(2, provider.id()).getResultStream().findFirst().map(String.class::cast));
  }

  /**
   * @param customerId a customer id at the processor
   * @return the tenant it was made for
   */
  public Optional<String> tenantOf(String customerId) {
    return QuarkusTransaction.joiningExisting().call(() -> em.createNativeQuery(
        "SELECT tenant_id FROM {h-schema}payment_customer WHERE customer_id = ?1 AND provider = ?2", String.class)
        .setParameter(1, customerId).setParameter(2, provider.id()).getResultStream().findFirst()
        .map(String.class::cast));
  }

  /**
   * The tenant's customer, made now when it has none.
   *
   * @param tenantId a tenant
   * @return its customer id
   * @throws dev.infermint.problem.ProblemException 404 when the tenants service knows no such tenant
   * @throws PaymentsDisabledException with a provider that keeps no customers
   */
  public String ensure(String tenantId) {
    if (!enabled()) {
      throw new PaymentsDisabledException(provider.id(), PaymentProvider.Capability.CUSTOMERS);
    }
    Optional<String> known = stored(tenantId);
    if (known.isPresent()) {
      return known.get();
    }
    JsonNode tenant = tenants.tenant(tenantId).orElseThrow(() -> Problems.notFound("tenant", tenantId));
    return create(tenant);
  }

  private String create(JsonNode tenant) {
    String tenantId = tenant.path("id").asText();
    TenantRef ref = new TenantRef(tenantId, tenant.path("slug").asText(), tenant.path("name").asText());
    String customerId;
    try {
      customerId = provider.createCustomer(ref);
    } catch (PaymentProviderException e) {
      if (e.retryable()) {
        throw e;
      }
      // The idempotency key was used with other parameters (the tenant was renamed within 24 h of an earlier try):
      // that try made the customer, so find it.
      customerId = provider.findCustomer(tenantId).orElseThrow(() -> e);
    }
    String made = customerId;
    QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
        INSERT INTO {h-schema}payment_customer (tenant_id, provider, customer_id) VALUES (?1, ?2, ?3)
        ON CONFLICT (tenant_id) DO NOTHING""").setParameter(1, tenantId).setParameter(2, provider.id())
        .setParameter(3, made).executeUpdate());
    Counter.builder("infermint_billing_customers_created_total").description("Customers made at the processor")
        .register(metrics).increment();
    LOG.infof("Tenant %s has customer %s at %s", tenantId, made, provider.id());
    return stored(tenantId).orElse(made);
  }

  /**
   * Makes a customer for every tenant (deleted ones excepted) that has none.
   *
   * @return how many were made
   */
  public int backfill() {
    if (!enabled()) {
      return 0;
    }
    int made = 0;
    String after = null;
    do {
      JsonNode page = tenants.list(after, PAGE);
      List<JsonNode> rows = new java.util.ArrayList<>();
      page.path("tenants").forEach(rows::add);
      for (JsonNode tenant : rows) {
        if (!"deleted".equals(tenant.path("status").asText()) && stored(tenant.path("id").asText()).isEmpty()) {
          create(tenant);
          made++;
        }
      }
      after = page.path("next").isTextual() ? page.path("next").asText() : null;
    } while (after != null);
    return made;
  }
}
