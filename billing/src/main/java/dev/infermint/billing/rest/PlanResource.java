package dev.infermint.billing.rest;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestPath;

import dev.infermint.billing.service.Plan;
import dev.infermint.billing.service.PlanService;
import dev.infermint.problem.Problems;

/** The public plan catalog; no authentication, the gateway reads the limits from here. */
@Path("/api/v1/plans")
@Produces(MediaType.APPLICATION_JSON)
public class PlanResource {

  @Inject
  PlanService plans;

  /** @return every plan, cheapest first */
  @GET
  public List<Plan> list() {
    return plans.list();
  }

  /**
   * @param planId a plan id
   * @return that plan, or 404 {@code not_found}
   */
  @GET
  @Path("/{planId}")
  public Plan get(@RestPath String planId) {
    return plans.find(planId).orElseThrow(() -> Problems.notFound("plan", planId));
  }
}
