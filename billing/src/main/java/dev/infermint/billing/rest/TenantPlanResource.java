package dev.infermint.billing.rest;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;

import com.fasterxml.jackson.databind.JsonNode;

import dev.infermint.auth.Caller;
import dev.infermint.billing.client.TenantsClient;
import dev.infermint.billing.service.Plan;
import dev.infermint.billing.service.PlanService;
import dev.infermint.problem.Problems;
import dev.infermint.problem.RequestIds;

/**
 * {@code PUT /api/v1/tenants/{tenantId}/plan} {@code {plan}}: a platform admin moves a tenant to another plan. The
 * plan is checked against billing's catalog and stored by the tenants service, which tells every gateway at once;
 * the new limits apply within 5 s.
 */
@Path("/api/v1/tenants/{tenantId}/plan")
@Produces(MediaType.APPLICATION_JSON)
public class TenantPlanResource {

  /** The request body. */
  public record PlanRequest(String plan) {
  }

  @Inject
  Caller caller;
  @Inject
  PlanService plans;
  @Inject
  TenantsClient tenants;

  /**
   * @param tenantId the tenant
   * @param request the new plan
   * @param requestId the request id, recorded in the tenant's audit log
   * @return the tenant with its new plan
   */
  @PUT
  @Consumes(MediaType.APPLICATION_JSON)
  public JsonNode change(@RestPath String tenantId, PlanRequest request,
      @RestHeader(RequestIds.HEADER) String requestId) {
    caller.requirePlatformAdmin();
    if (request == null || request.plan() == null || request.plan().isBlank()) {
      throw Problems.validation("plan", "is required");
    }
    if (plans.find(request.plan()).isEmpty()) {
      throw Problems.validation("plan", "unknown plan '" + request.plan() + "'; plans: "
          + plans.list().stream().map(Plan::id).toList());
    }
    try {
      return tenants.changePlan(tenantId, request.plan(), RequestIds.sanitize(requestId));
    } catch (TenantsClient.NotRetriable e) {
      throw e.problem();
    } catch (FaultToleranceException e) {
      throw Problems.unavailable("The tenants service did not answer in time; the plan is unchanged");
    }
  }
}
