package dev.infermint.worker.rest;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

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

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.common.annotation.Blocking;

import dev.infermint.auth.Caller;
import dev.infermint.problem.RequestIds;
import dev.infermint.worker.InferenceProblems;
import dev.infermint.worker.service.BinaryTensorData;
import dev.infermint.worker.service.Deadline;
import dev.infermint.worker.service.DjlRuntime;
import dev.infermint.worker.service.OipService;
import dev.infermint.worker.standalone.Standalone;

/**
 * The Open Inference Protocol (KServe V2) for the tenant the gateway asserts, in JSON and with Triton's binary tensor
 * data extension ({@link BinaryTensorData}): a body with {@value BinaryTensorData#HEADER} is a JSON header followed
 * by binary input data, whatever its content type; one without is JSON. Inference honours
 * {@value WorkerHeaders#DEADLINE}; its responses carry the {@link WorkerHeaders} metering headers, with units = the
 * batch size every batched input shares ({@link OipService}).
 */
@Path("/v2")
@Produces(MediaType.APPLICATION_JSON)
public class OipResource {

  @Inject
  Caller caller;
  @Inject
  Standalone standalone;

  @Inject
  OipService oip;

  @Inject
  DjlRuntime runtime;

  @Inject
  ObjectMapper json;

  @ConfigProperty(name = "quarkus.application.version", defaultValue = "unknown")
  String version;

  /** Server metadata: name, version and the protocol extensions supported. */
  @GET
  public ServerMetadataResponse server() {
    return new ServerMetadataResponse("infermint", version, List.of(BinaryTensorData.EXTENSION, "model_repository"));
  }

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
    String tenant = tenant();
    return oip.metadata(tenant, model, null, RequestIds.sanitize(requestId));
  }

  /** Metadata of one version. */
  @GET
  @Path("/models/{model}/versions/{version}")
  public ModelMetadataResponse metadata(@PathParam("model") String model, @PathParam("version") String version,
      @HeaderParam(RequestIds.HEADER) String requestId) {
    String tenant = tenant();
    return oip.metadata(tenant, model, version, RequestIds.sanitize(requestId));
  }

  /** 200 once the model's default version is loaded. */
  @GET
  @Path("/models/{model}/ready")
  public ModelReadyResponse modelReady(@PathParam("model") String model,
      @HeaderParam(RequestIds.HEADER) String requestId) {
    String tenant = tenant();
    return oip.ready(tenant, model, null, RequestIds.sanitize(requestId));
  }

  /** 200 once the version is loaded. */
  @GET
  @Path("/models/{model}/versions/{version}/ready")
  public ModelReadyResponse modelReady(@PathParam("model") String model, @PathParam("version") String version,
      @HeaderParam(RequestIds.HEADER) String requestId) {
    String tenant = tenant();
    return oip.ready(tenant, model, version, RequestIds.sanitize(requestId));
  }

  /** Inference on the model's default version. */
  @POST
  @Path("/models/{model}/infer")
  @Consumes(MediaType.WILDCARD)
  @Produces({MediaType.APPLICATION_JSON, BinaryTensorData.MEDIA_TYPE})
  @RequestBody(content = {@Content(mediaType = MediaType.APPLICATION_JSON,
      schema = @Schema(implementation = InferRequest.class)), @Content(mediaType = BinaryTensorData.MEDIA_TYPE)})
  @Blocking
  public CompletionStage<Response> infer(@PathParam("model") String model, @HeaderParam(RequestIds.HEADER) String requestId,
      @HeaderParam(WorkerHeaders.DEADLINE) String deadline,
      @HeaderParam(BinaryTensorData.HEADER) String headerLength, byte[] body) throws IOException {
    return infer(model, null, requestId, WorkerHeaders.deadline(deadline), headerLength, body);
  }

  /** Inference on one version. */
  @POST
  @Path("/models/{model}/versions/{version}/infer")
  @Consumes(MediaType.WILDCARD)
  @Produces({MediaType.APPLICATION_JSON, BinaryTensorData.MEDIA_TYPE})
  @RequestBody(content = {@Content(mediaType = MediaType.APPLICATION_JSON,
      schema = @Schema(implementation = InferRequest.class)), @Content(mediaType = BinaryTensorData.MEDIA_TYPE)})
  @Blocking
  public CompletionStage<Response> infer(@PathParam("model") String model, @PathParam("version") String version,
      @HeaderParam(RequestIds.HEADER) String requestId, @HeaderParam(WorkerHeaders.DEADLINE) String deadline,
      @HeaderParam(BinaryTensorData.HEADER) String headerLength, byte[] body) throws IOException {
    return infer(model, version, requestId, WorkerHeaders.deadline(deadline), headerLength, body);
  }

  private CompletionStage<Response> infer(String model, String version, String requestId, Deadline deadline,
      String headerLength, byte[] body) throws IOException {
    String tenant = tenant();
    BinaryTensorData.Framed framed = BinaryTensorData.read(body == null ? new byte[0] : body, headerLength, json);
    BinaryTensorData.OutputForm form = framed.request() == null ? null
        : BinaryTensorData.outputForm(framed.request());
    return oip.infer(tenant, model, version, framed.request(), framed.binary(), deadline,
        RequestIds.sanitize(requestId)).thenApply(result -> {
          BinaryTensorData.Encoded binary = BinaryTensorData.write(result.body(), form, json);
          if (binary == null) {
            return WorkerHeaders.ok(result);
          }
          return WorkerHeaders.ok(result, binary.body())
              .type(BinaryTensorData.MEDIA_TYPE)
              .header(BinaryTensorData.HEADER, binary.headerLength())
              .build();
        });
  }

  /** The caller's tenant: the asserted API key's, or in standalone mode the licence's (calls are local). */
  private String tenant() {
    return standalone.enabled() ? standalone.license().requireServing().tenant() : caller.requireOwnTenant();
  }
}
