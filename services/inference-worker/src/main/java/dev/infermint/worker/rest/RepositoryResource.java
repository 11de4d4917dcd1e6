package dev.infermint.worker.rest;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;


import dev.infermint.problem.RequestIds;
import dev.infermint.worker.service.InferenceAdmission;
import dev.infermint.worker.service.ModelCache;
import dev.infermint.worker.service.ModelResolver;
import dev.infermint.worker.service.ResolvedModel;

/**
 * Triton's model repository extension on the worker, internal: which models are loaded here, and explicit load and
 * unload. Like every {@code /v2} call it needs a service token ({@link InternalCallerFilter}); it is not routed by
 * the gateway. A model name is resolved in {@code ?tenant=} (else the public catalog), at {@code ?version=} (else
 * the default version), as the registry resolves it for inference.
 */
@Path("/v2/repository")
@Produces(MediaType.APPLICATION_JSON)
public class RepositoryResource {

  @Inject
  ModelResolver resolver;

  @Inject
  ModelCache models;

  @Inject
  InferenceAdmission admission;

  /** The models loaded, loading, or seen and not loaded (evicted, unloaded, failed), loaded ones first. */
  @GET
  @Path("/index")
  public List<RepositoryIndexEntry> index() {
    return models.index().stream().map(RepositoryIndexEntry::of).toList();
  }

  /** The same as {@link #index()}, as Triton's clients ask for it. */
  @POST
  @Path("/index")
  public List<RepositoryIndexEntry> indexPost() {
    return index();
  }

  /**
   * Loads a model now (before its first request), evicting idle ones if the memory budget needs it.
   *
   * @return its index entry, {@code READY}
   */
  @POST
  @Path("/models/{model}/load")
  public RepositoryIndexEntry load(@PathParam("model") String model, @QueryParam("tenant") String tenant,
      @QueryParam("version") String version, @HeaderParam(RequestIds.HEADER) String requestId) {
    admission.checkReady();
    ResolvedModel m = resolver.resolve(tenant == null ? "" : tenant, model, blankToNull(version),
        RequestIds.sanitize(requestId));
    models.load(m, RequestIds.sanitize(requestId));
    return entry(m);
  }

  /**
   * Unloads a model; requests running on it finish first. Unloading a model that is not loaded changes nothing.
   *
   * @return its index entry, {@code UNAVAILABLE}
   */
  @POST
  @Path("/models/{model}/unload")
  public RepositoryIndexEntry unload(@PathParam("model") String model, @QueryParam("tenant") String tenant,
      @QueryParam("version") String version, @HeaderParam(RequestIds.HEADER) String requestId) {
    ResolvedModel m = resolver.resolve(tenant == null ? "" : tenant, model, blankToNull(version),
        RequestIds.sanitize(requestId));
    models.unload(m);
    return entry(m);
  }

  private RepositoryIndexEntry entry(ResolvedModel m) {
    return models.index().stream().filter(s -> s.model().digest().equals(m.digest())).findFirst()
        .map(RepositoryIndexEntry::of).orElseThrow();
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
