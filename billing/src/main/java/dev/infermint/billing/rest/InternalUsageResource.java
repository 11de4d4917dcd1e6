package dev.infermint.billing.rest;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.infermint.billing.service.UsageService;

/**
 * {@code POST /internal/usage}: the gateway reports one admitted call. Only services may call it
 * ({@code InternalEndpointFilter}: a service token); idempotent on {@code requestId} so the gateway may retry freely.
 */
@Path("/internal/usage")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class InternalUsageResource {

  @Inject
  UsageService usage;

  /**
   * @param event the call to meter
   * @return 201 with the event when stored, 200 with the first stored event when the request id was known
   */
  @POST
  public Response record(UsageEvent event) {
    UsageService.Recorded recorded = usage.record(event);
    return Response.status(recorded.created() ? Response.Status.CREATED : Response.Status.OK)
        .entity(recorded.event()).build();
  }
}
