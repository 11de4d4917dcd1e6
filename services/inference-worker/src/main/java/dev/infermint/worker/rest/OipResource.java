package dev.infermint.worker.rest;

import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.infermint.auth.Caller;
import dev.infermint.problem.RequestIds;
import dev.infermint.worker.InferenceProblems;
import dev.infermint.worker.service.DjlRuntime;
import dev.infermint.worker.service.OipService;

/**
 * The Open Inference Protocol (KServe V2, JSON) for the tenant the gateway asserts. Inference honours
 * {@value WorkerHeaders#DEADLINE}; its responses carry the {@link WorkerHeaders} metering headers, with units = the
 * batch size every batched input shares ({@link OipService}).
 */
@Path("/v2")
@Produces(MediaType.APPLICATION_JSON)
public class OipResource {

  @Inject
  Caller caller;

  @Inject
  OipService oip;

  @Inject
  DjlRuntime runtime;

  /** Liveness: the process answers. */
  @GET
  @Path("/health/live")
  public Map<String, Boolean> live() {
    return Map.of("live", true);
  }

  /** Readiness: ONNX Runtime and the device were checked at start; before that 503 with {@code Retry-After}. */
  @GET
  @Path("/health/ready")
  public Map<String, Boolean> ready() {
    if (!runtime.started()) {
      throw InferenceProblems.notReady();
    }
    return Map.of("ready", true);
  }

  /** Metadata of the model's default version. */
  @GET
  @Path("/models/{model}")
  public ModelMetadataResponse metadata(@PathParam("model") String model,
      @HeaderParam(RequestIds.HEADER) String requestId) {
    String tenant = caller.requireOwnTenant();
    return oip.metadata(tenant, model, null, RequestIds.sanitize(requestId));
  }

  /** Metadata of one version. */
  @GET
  @Path("/models/{model}/versions/{version}")
  public ModelMetadataResponse metadata(@PathParam("model") String model, @PathParam("version") String version,
      @HeaderParam(RequestIds.HEADER) String requestId) {
    String tenant = caller.requireOwnTenant();
    return oip.metadata(tenant, model, version, RequestIds.sanitize(requestId));
  }

  /** 200 once the model's default version is loaded. */
  @GET
  @Path("/models/{model}/ready")
  public ModelReadyResponse modelReady(@PathParam("model") String model,
      @HeaderParam(RequestIds.HEADER) String requestId) {
    String tenant = caller.requireOwnTenant();
    return oip.ready(tenant, model, null, RequestIds.sanitize(requestId));
  }

  /** 200 once the version is loaded. */
  @GET
  @Path("/models/{model}/versions/{version}/ready")
  public ModelReadyResponse modelReady(@PathParam("model") String model, @PathParam("version") String version,
      @HeaderParam(RequestIds.HEADER) String requestId) {
    String tenant = caller.requireOwnTenant();
    return oip.ready(tenant, model, version, RequestIds.sanitize(requestId));
  }

  /** Inference on the model's default version. */
  @POST
  @Path("/models/{model}/infer")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response infer(@PathParam("model") String model, @HeaderParam(RequestIds.HEADER) String requestId,
      @HeaderParam(WorkerHeaders.DEADLINE) String deadline, InferRequest request) {
    return WorkerHeaders.ok(oip.infer(caller.requireOwnTenant(), model, null, request,
        WorkerHeaders.deadline(deadline), RequestIds.sanitize(requestId)));
  }

  /** Inference on one version. */
  @POST
  @Path("/models/{model}/versions/{version}/infer")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response infer(@PathParam("model") String model, @PathParam("version") String version,
      @HeaderParam(RequestIds.HEADER) String requestId, @HeaderParam(WorkerHeaders.DEADLINE) String deadline,
      InferRequest request) {
    return WorkerHeaders.ok(oip.infer(caller.requireOwnTenant(), model, version, request,
        WorkerHeaders.deadline(deadline), RequestIds.sanitize(requestId)));
  }
}
