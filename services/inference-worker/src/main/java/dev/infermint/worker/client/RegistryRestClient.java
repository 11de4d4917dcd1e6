package dev.infermint.worker.client;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import io.quarkus.oidc.client.filter.OidcClientFilter;

import dev.infermint.problem.RequestIds;

/**
 * The model registry's internal JSON endpoints; used only through {@link RegistryClient}. Each call carries the
 * worker's service token (quarkus-oidc-client, configured in libs/service-client).
 */
@RegisterRestClient(configKey = "registry")
@OidcClientFilter
@Path("/internal/models")
@Produces(MediaType.APPLICATION_JSON)
interface RegistryRestClient {

  @GET
  @Path("/resolve")
  Response resolve(@QueryParam("tenant") String tenant, @QueryParam("model") String model,
      @QueryParam("version") String version, @HeaderParam(RequestIds.HEADER) String requestId);

  @GET
  Response list(@QueryParam("tenant") String tenant, @HeaderParam(RequestIds.HEADER) String requestId);
}
