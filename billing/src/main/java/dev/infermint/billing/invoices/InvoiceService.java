package dev.infermint.billing.invoices;

import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;
import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;

import com.fasterxml.jackson.databind.JsonNode;

import dev.infermint.billing.client.TenantsClient;
import dev.infermint.billing.config.UsageBillingConfig;
import dev.infermint.billing.payments.InvoiceView;
import dev.infermint.billing.payments.InvoicesChanged;
import dev.infermint.billing.payments.PaymentCustomers;
import dev.infermint.billing.payments.PaymentProvider;
import dev.infermint.billing.service.Plan;
import dev.infermint.billing.service.PlanService;
import dev.infermint.problem.Problems;

/**
 * A tenant's invoices. With a provider that keeps invoices: its invoices and the upcoming one, served from memory
 * for {@code invoices.cache-ttl} and dropped when {@link InvoicesChanged} fires for the tenant (a webhook said an
 * invoice was paid or failed). Without: no invoices, and billing's preview of the current calendar month (UTC) from
 * the tenant's plan and its overage requests so far ({@link InvoicePreview}).
 */
@ApplicationScoped
public class InvoiceService {

  private static final Logger LOG = Logger.getLogger(InvoiceService.class);

  private record Cached(Instant expires, long generation, TenantInvoices invoices) {
  }

  @Inject
  PaymentProvider provider;
  @Inject
  PaymentCustomers customers;
  @Inject
  TenantsClient tenants;
  @Inject
  PlanService plans;
  @Inject
  UsageBillingConfig config;
  @Inject
  EntityManager em;

  private final Clock clock = Clock.systemUTC();
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();
  /** Bumped by every {@link InvoicesChanged}: an answer fetched before it is not cached. */
  private final AtomicLong generation = new AtomicLong();

  /**
   * @param tenantId the tenant (access already checked)
   * @return its invoices
   * @throws dev.infermint.problem.ProblemException 404 when the tenants service knows no such tenant, 503 when it
   *     cannot be reached
   * @throws dev.infermint.billing.payments.PaymentProviderException when the processor cannot be read
   */
  public TenantInvoices invoices(String tenantId) {
    if (!provider.capabilities().contains(PaymentProvider.Capability.INVOICES)) {
      return preview(tenantId);
    }
    Instant now = clock.instant();
    Cached hit = cache.get(tenantId);
    if (hit != null && hit.expires().isAfter(now) && hit.generation() == generation.get()) {
      return hit.invoices();
    }
    long before = generation.get();
    String customerId = customers.ensure(tenantId);
    TenantInvoices fetched = new TenantInvoices(true, provider.id(),
        provider.invoices(customerId, config.invoices().limit()),
        provider.upcomingInvoice(customerId).map(InvoiceService::asUpcoming).orElse(null));
    if (generation.get() == before) {
      cache.put(tenantId, new Cached(now.plus(config.invoices().cacheTtl()), before, fetched));
    }
    return fetched;
  }

  /**
   * Drops the tenant's cached invoices once the webhook that changed them is committed.
   *
   * @param event whose invoices changed
   */
  void onInvoicesChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) InvoicesChanged event) {
    generation.incrementAndGet();
    if (cache.remove(event.tenantId()) != null) {
      LOG.debugf("Invoices of tenant %s changed: cache dropped", event.tenantId());
    }
  }

  /**
   * A preview is no invoice yet: Stripe gives it a {@code draft} status and an {@code upcoming_…} id that cannot be
   * retrieved, so it is answered as status {@code upcoming} without an id or number.
   */
  private static InvoiceView asUpcoming(InvoiceView v) {
    return new InvoiceView(null, null, "upcoming", v.currency(), v.total(), v.amountDue(), v.periodStart(),
        v.periodEnd(), v.hostedUrl(), v.lines());
  }

  private TenantInvoices preview(String tenantId) {
    JsonNode tenant;
    try {
      tenant = tenants.tenant(tenantId).orElseThrow(() -> Problems.notFound("tenant", tenantId));
    } catch (TenantsClient.NotRetriable e) {
      throw e.problem();
    } catch (FaultToleranceException e) {
      throw Problems.unavailable("The tenants service did not answer in time");
    }
    String planId = tenant.path("plan").asText();
    Plan plan = plans.find(planId).orElseThrow(() -> Problems.upstream("Tenant " + tenantId + " is on plan '"
        + planId + "', which billing's catalog does not have"));
    YearMonth month = YearMonth.now(clock);
    long overage = QuarkusTransaction.joiningExisting().call(() -> ((Number) em.createNativeQuery("""
        SELECT count(*) FROM {h-schema}usage_event
        WHERE tenant_id = ?1 AND overage AND occurred_at >= ?2 AND occurred_at < ?3""").setParameter(1, tenantId)
        .setParameter(2, month.atDay(1).atStartOfDay().atOffset(ZoneOffset.UTC))
        .setParameter(3, month.plusMonths(1).atDay(1).atStartOfDay().atOffset(ZoneOffset.UTC))
        .getSingleResult()).longValue());
    InvoiceView upcoming = InvoicePreview.of(plan, overage, month);
    return new TenantInvoices(false, provider.id(), java.util.List.of(), upcoming);
  }
}
