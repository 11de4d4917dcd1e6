package dev.infermint.billing.client;

import java.time.temporal.ChronoUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import com.fasterxml.jackson.databind.JsonNode;

import dev.infermint.problem.Problems;

/**
 * Billing's calls to the tenants service. Timeout 5 s; a plan change is idempotent, so it is retried twice on
 * connection failures and 5xx answers; the breaker opens after half of 10 calls fail (tenants down or timing out),
 * so that billing answers 503 at once instead of queueing.
 */
@ApplicationScoped
public class TenantsClient {

  @Inject
  @RestClient
  TenantsRestClient rest;

  /**
   * Stores a tenant's new plan where the gateways read it; tenants announces the change to every gateway.
   *
   * @param tenantId the tenant
   * @param plan a plan id billing knows
   * @param requestId the request id, for the audit log
   * @return the tenant as the tenants service answers it
   */
  @Timeout(value = 5, unit = ChronoUnit.SECONDS)
  @Retry(maxRetries = 2, delay = 200, abortOn = NotRetriable.class)
  @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS,
      skipOn = NotRetriable.class)
  public JsonNode changePlan(String tenantId, String plan, String requestId) {
    try {
      return rest.changePlan(tenantId, new TenantsRestClient.PlanChange(plan), requestId);
    } catch (WebApplicationException e) {
      int status = e.getResponse().getStatus();
      if (status == 404) {
        throw new NotRetriable(Problems.notFound("tenant", tenantId));
      }
      if (status < 500) {
        throw new NotRetriable(Problems.upstream("The tenants service refused the plan change (" + status + ")"));
      }
      throw Problems.unavailable("The tenants service failed to change the plan (" + status + ")");
    } catch (ProcessingException e) {
      throw Problems.unavailable("The tenants service cannot be reached");
    }
  }

  /**
   * @param tenantId a tenant id
   * @return the tenant ({@code {id, slug, name, plan, status}}), or empty when the tenants service knows none
   */
  @Timeout(value = 5, unit = ChronoUnit.SECONDS)
  @Retry(maxRetries = 2, delay = 200, abortOn = NotRetriable.class)
  public java.util.Optional<JsonNode> tenant(String tenantId) {
    try {
      return java.util.Optional.of(rest.tenant(tenantId));
    } catch (WebApplicationException e) {
      int status = e.getResponse().getStatus();
      if (status == 404) {
        return java.util.Optional.empty();
      }
      if (status < 500) {
        throw new NotRetriable(Problems.upstream("The tenants service refused to read tenant (" + status + ")"));
      }
      throw Problems.unavailable("The tenants service failed to read the tenant (" + status + ")");
    } catch (ProcessingException e) {
      throw Problems.unavailable("The tenants service cannot be reached");
    }
  }

  /**
   * @param after the last tenant id of the previous page; null for the first
   * @param limit page size
   * @return {@code {tenants:[{id, slug, name, plan, status}], next}}; {@code next} is null on the last page
   */
  @Timeout(value = 10, unit = ChronoUnit.SECONDS)
  @Retry(maxRetries = 2, delay = 500, abortOn = NotRetriable.class)
  public JsonNode list(String after, int limit) {
    try {
      return rest.list(after, limit);
    } catch (WebApplicationException e) {
      throw new NotRetriable(Problems.upstream("The tenants service refused to list tenants ("
          + e.getResponse().getStatus() + ")"));
    } catch (ProcessingException e) {
      throw Problems.unavailable("The tenants service cannot be reached");
    }
  }

  /** A refusal that another try would not change. */
  public static final class NotRetriable extends RuntimeException {
    private final transient dev.infermint.problem.ProblemException problem;

    NotRetriable(dev.infermint.problem.ProblemException problem) {
      super(problem.getMessage(), null, false, false);
      this.problem = problem;
    }

    /** @return the problem to answer */
    public dev.infermint.problem.ProblemException problem() {
      return problem;
    }
  }
}
