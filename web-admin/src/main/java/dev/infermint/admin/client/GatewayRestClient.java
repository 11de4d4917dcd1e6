package dev.infermint.admin.client;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import io.quarkus.rest.client.reactive.ClientExceptionMapper;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The gateway's management API (SPEC §5) as the console calls it: every call carries the signed-in user's access
 * token ({@code Bearer …}) so the gateway and the services behind it apply that user's rights, never the console's.
 * Answers are read as JSON trees; the pages pick the fields the contract names. Pages call it only through
 * {@link GatewayClient}, which adds the token, the timeouts and the circuit breaker.
 */
@RegisterRestClient(configKey = "gateway")
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface GatewayRestClient {

  ObjectMapper JSON = new ObjectMapper();

  // Tenants, members, keys, audit (the tenants service)

  @GET
  @Path("api/v1/tenants")
  JsonNode tenants(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth);

  @POST
  @Path("api/v1/tenants")
  JsonNode createTenant(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, JsonNode body);

  @GET
  @Path("api/v1/tenants/{t}")
  JsonNode tenant(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @PathParam("t") String tenantId);

  @POST
  @Path("api/v1/tenants/{t}/{action}")
  JsonNode tenantAction(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @PathParam("t") String tenantId,
      @PathParam("action") String action);

  @DELETE
  @Path("api/v1/tenants/{t}")
  void deleteTenant(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @PathParam("t") String tenantId);

  @GET
  @Path("api/v1/tenants/{t}/members")
  JsonNode members(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @PathParam("t") String tenantId);

  @POST
  @Path("api/v1/tenants/{t}/members")
  JsonNode addMember(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @PathParam("t") String tenantId,
      JsonNode body);

  @PUT
  @Path("api/v1/tenants/{t}/members/{u}")
  JsonNode changeRole(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @PathParam("t") String tenantId,
      @PathParam("u") String userId, JsonNode body);

  @DELETE
  @Path("api/v1/tenants/{t}/members/{u}")
  void removeMember(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @PathParam("t") String tenantId,
      @PathParam("u") String userId);

  @GET
  @Path("api/v1/tenants/{t}/audit")
  JsonNode audit(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @PathParam("t") String tenantId,
      @QueryParam("limit") Integer limit, @QueryParam("before") String before);

  @GET
  @Path("api/v1/tenants/{t}/api-keys")
  JsonNode keys(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @PathParam("t") String tenantId);

  @POST
  @Path("api/v1/tenants/{t}/api-keys")
  JsonNode createKey(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @PathParam("t") String tenantId,
      JsonNode body);

  @DELETE
  @Path("api/v1/tenants/{t}/api-keys/{k}")
  void revokeKey(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @PathParam("t") String tenantId,
      @PathParam("k") String keyId);

  // Usage, quota, plans, billing (gateway and billing)

  @GET
  @Path("api/v1/tenants/{t}/usage")
  JsonNode usage(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @PathParam("t") String tenantId,
      @QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("groupBy") String groupBy);

  @GET
  @Path("api/v1/tenants/{t}/quota")
  JsonNode quota(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @PathParam("t") String tenantId);

  @GET
  @Path("api/v1/plans")
  JsonNode plans(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth);

  @PUT
  @Path("api/v1/tenants/{t}/plan")
  JsonNode changePlan(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @PathParam("t") String tenantId,
      JsonNode body);

  @POST
  @Path("api/v1/tenants/{t}/checkout")
  JsonNode checkout(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @PathParam("t") String tenantId,
      JsonNode body);

  @POST
  @Path("api/v1/tenants/{t}/billing-portal")
  JsonNode billingPortal(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @PathParam("t") String tenantId);

  @GET
  @Path("api/v1/tenants/{t}/invoices")
  JsonNode invoices(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @PathParam("t") String tenantId);

  // Models (the registry; owned by the caller's tenant)

  @GET
  @Path("api/v1/models")
  JsonNode models(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth);

  @GET
  @Path("api/v1/models/{m}")
  JsonNode model(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @PathParam("m") String model);

  @GET
  @Path("api/v1/models/{m}/versions/{v}")
  JsonNode version(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @PathParam("m") String model,
      @PathParam("v") int version);

  @GET
  @Path("api/v1/models/{m}/deployment")
  JsonNode deployment(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @PathParam("m") String model);

  @PUT
  @Path("api/v1/models/{m}/deployment")
  JsonNode deploy(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @PathParam("m") String model,
      JsonNode body);

  @PUT
  @Path("api/v1/models/{m}/aliases/{a}")
  JsonNode moveAlias(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @PathParam("m") String model,
      @PathParam("a") String alias, JsonNode body);

  /** OIP inference, with the API key the user gave the "try it" form (the inference API takes only keys). */
  @POST
  @Path("v2/models/{m}/infer")
  JsonNode infer(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @PathParam("m") String model, JsonNode body);

  // Licences (billing)

  @GET
  @Path("api/v1/licenses")
  JsonNode licences(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth);

  @POST
  @Path("api/v1/licenses")
  JsonNode issueLicence(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, JsonNode body);

  @GET
  @Path("api/v1/licenses/{id}")
  JsonNode licence(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @PathParam("id") String id);

  @GET
  @Path("api/v1/licenses/{id}/machines")
  JsonNode machines(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @PathParam("id") String id);

  @POST
  @Path("api/v1/licenses/{id}/{action}")
  JsonNode licenceAction(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @PathParam("id") String id,
      @PathParam("action") String action);

  @GET
  @Path("api/v1/license-products")
  JsonNode licenceProducts(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth);

  /** Turns an error answer into a {@link GatewayException} carrying the problem's {@code detail} and field. */
  @ClientExceptionMapper
  static RuntimeException toException(Response response) {
    int status = response.getStatus();
    Response.Status known = Response.Status.fromStatusCode(status);
    String detail = known == null ? "HTTP " + status : known.getReasonPhrase();
    String field = null;
    String code = null;
    try {
      String body = response.readEntity(String.class);
      JsonNode problem = body == null || body.isBlank() ? null : JSON.readTree(body);
      if (problem != null && problem.hasNonNull("detail")) {
        detail = problem.get("detail").asText();
        field = problem.hasNonNull("field") ? problem.get("field").asText() : null;
        code = problem.hasNonNull("code") ? problem.get("code").asText() : null;
      }
    } catch (RuntimeException | com.fasterxml.jackson.core.JsonProcessingException e) {
      // Not a problem body: the status' reason phrase is all we can say.
    }
    return status < 500 ? new GatewayException.Refused(status, detail, code, field)
        : new GatewayException(status, detail, code, field);
  }
}
