package dev.infermint.worker.rest;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.concurrent.CompletionStage;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.common.annotation.Blocking;

import dev.infermint.auth.Caller;
import dev.infermint.problem.RequestIds;
import dev.infermint.worker.client.RegistryModelEntry;
import dev.infermint.worker.service.EmbeddingService;
import dev.infermint.worker.service.ModelResolver;
import dev.infermint.worker.standalone.Standalone;

/**
 * The OpenAI-compatible API ({@code /v1}) for the tenant the gateway asserts, so that the official OpenAI SDKs work.
 * Embeddings honour {@value WorkerHeaders#DEADLINE}; their responses carry the {@link WorkerHeaders} metering
 * headers, with units = prompt tokens.
 */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
public class OpenAiResource {

  @Inject
  Caller caller;
  @Inject
  Standalone standalone;

  @Inject
  ModelResolver resolver;

  @Inject
  EmbeddingService embeddings;

  /** The models the tenant may call: its own and the public catalog's. */
  @GET
  @Path("/models")
  public ModelListResponse models(@HeaderParam(RequestIds.HEADER) String requestId) {
    String tenant = tenant();
    return new ModelListResponse("list", resolver.list(tenant, RequestIds.sanitize(requestId)).stream()
        .map(OpenAiResource::entry)
        .toList());
  }

  /** Embeds a string or a list of strings. */
  @POST
  @Path("/embeddings")
  @Consumes(MediaType.APPLICATION_JSON)
  @Blocking
  public CompletionStage<Response> embeddings(@HeaderParam(RequestIds.HEADER) String requestId,
      @HeaderParam(WorkerHeaders.DEADLINE) String deadline, EmbeddingsRequest request) {
    String tenant = tenant();
    // Blocking only until the call is queued (a registry look-up or a model load may block); nothing waits for it.
    return embeddings.embed(tenant, request, WorkerHeaders.deadline(deadline), RequestIds.sanitize(requestId))
        .thenApply(WorkerHeaders::ok);
  }

  private static ModelListResponse.Entry entry(RegistryModelEntry m) {
    return new ModelListResponse.Entry(m.name(), "model", epochSeconds(m.createdAt()), m.owner());
  }

  /** Reads a registry timestamp (ISO-8601, or epoch seconds or milliseconds) as epoch seconds; 0 when unknown. */
  static long epochSeconds(JsonNode createdAt) {
    if (createdAt == null || createdAt.isNull()) {
      return 0;
    }
    if (createdAt.isNumber()) {
      long n = createdAt.asLong();
      return n > 100_000_000_000L ? n / 1000 : n;
    }
    String text = createdAt.asText();
    try {
      return OffsetDateTime.parse(text).toEpochSecond();
    } catch (DateTimeParseException e) {
      try {
        return Instant.parse(text).getEpochSecond();
      } catch (DateTimeParseException e2) {
        return 0;
      }
    }
  }

  /** The caller's tenant: the asserted API key's, or in standalone mode the licence's (calls are local). */
  private String tenant() {
    return standalone.enabled() ? standalone.license().requireServing().tenant() : caller.requireOwnTenant();
  }
}
