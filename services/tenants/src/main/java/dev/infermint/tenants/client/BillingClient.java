package dev.infermint.tenants.client;

import java.time.temporal.ChronoUnit;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;

import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import dev.infermint.problem.ProblemException;
import dev.infermint.problem.Problems;

/**
 * The tenants service's calls to billing, which owns the one plan catalog. Timeout 2 s; the read is idempotent, so
 * any failure (billing unreachable, too slow, an error status, an answer that is not a catalog) is retried once,
 * 200 ms later. There is no circuit breaker: the caller ({@code PlanCatalog}) keeps the catalog it read and asks
 * billing at most once per TTL while it holds one, so an outage costs billing one call per TTL, not one per request.
 */
@ApplicationScoped
public class BillingClient {

  @Inject
  @RestClient
  BillingRestClient rest;

  /**
   * Reads billing's plan catalog.
   *
   * @return the plan ids, in billing's order (cheapest first); never empty
   * @throws ProblemException 503 {@code unavailable} when billing cannot be reached or answers with an error;
   *     502 {@code upstream_failed} when its answer is empty or has a plan without an id
   * @throws org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException when billing took longer than 2 s
   *     (twice)
   */
  @Timeout(value = 2, unit = ChronoUnit.SECONDS)
  @Retry(maxRetries = 1, delay = 200)
  public List<String> planIds() {
    List<BillingRestClient.CatalogPlan> plans;
    try {
      plans = rest.plans();
    } catch (WebApplicationException e) {
      throw Problems.unavailable("Billing answered " + e.getResponse().getStatus() + " for its plan catalog");
    } catch (ProcessingException e) {
      throw Problems.unavailable("Billing cannot be reached");
    }
    if (plans == null || plans.isEmpty()
        || plans.stream().anyMatch(p -> p == null || p.id() == null || p.id().isBlank())) {
      throw Problems.upstream("Billing's plan catalog is empty or lists a plan without an id");
    }
    return plans.stream().map(BillingRestClient.CatalogPlan::id).toList();
  }
}
