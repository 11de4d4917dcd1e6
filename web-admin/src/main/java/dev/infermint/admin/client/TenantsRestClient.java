package dev.infermint.admin.client;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import io.quarkus.rest.client.reactive.ClientExceptionMapper;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The gateway's tenant API, called with the signed-in user's access token. */
@RegisterRestClient(configKey = "gateway")
@Path("/api/v1/tenants")
interface TenantsRestClient {

  ObjectMapper JSON = new ObjectMapper();

  /**
   * @param authorization {@code Bearer <the user's access token>}
   * @return the tenants the user may see: a JSON array (or an object wrapping it in {@code items}/{@code data})
   */
  @GET
  @Produces(MediaType.APPLICATION_JSON)
  JsonNode list(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization);

  /** Turns an error answer into a {@link GatewayException} carrying the problem's {@code detail}. */
  @ClientExceptionMapper
  static RuntimeException toException(Response response) {
    int status = response.getStatus();
    String detail = Response.Status.fromStatusCode(status) == null ? "HTTP " + status
        : Response.Status.fromStatusCode(status).getReasonPhrase();
    try {
      String body = response.readEntity(String.class);
      JsonNode problem = body == null || body.isBlank() ? null : JSON.readTree(body);
      if (problem != null && problem.hasNonNull("detail")) {
        detail = problem.get("detail").asText();
      }
    } catch (RuntimeException | com.fasterxml.jackson.core.JsonProcessingException e) {
      // Not a problem body: the status' reason phrase is all we can say.
    }
    return status < 500 ? new GatewayException.Refused(status, detail) : new GatewayException(status, detail);
  }
}
