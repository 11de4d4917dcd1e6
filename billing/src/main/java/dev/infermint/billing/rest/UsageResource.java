package dev.infermint.billing.rest;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import dev.infermint.auth.Caller;
import dev.infermint.billing.service.UsageReport;
import dev.infermint.billing.service.UsageService;

/**
 * {@code GET /api/v1/tenants/{tenantId}/usage?from=&to=&groupBy=day|model}: a tenant's usage over whole UTC days.
 * Without {@code to}, today (UTC); without {@code from}, the first day of {@code to}'s month. Parameters are
 * checked in {@link UsageService#report(String, String, String, String)}.
 */
@Path("/api/v1/tenants/{tenantId}/usage")
@Produces(MediaType.APPLICATION_JSON)
public class UsageResource {

  @Inject
  Caller caller;

  @Inject
  UsageService usage;

  /**
   * @param tenantId the tenant; another tenant's id answers 404
   * @param from first day included, {@code YYYY-MM-DD}
   * @param to last day included, {@code YYYY-MM-DD}
   * @param groupBy {@code day}, {@code model}, or absent for one row of totals
   * @return the report
   */
  @GET
  public UsageReport report(@RestPath String tenantId, @RestQuery String from, @RestQuery String to,
      @RestQuery String groupBy) {
    caller.requireTenantRead(tenantId);
    return usage.report(tenantId, from, to, groupBy);
  }
}
