package dev.infermint.registry.rest;

import java.io.InputStream;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import dev.infermint.problem.Problems;
import dev.infermint.registry.service.BlobStore;
import dev.infermint.registry.service.Digests;
import dev.infermint.registry.service.ModelResolution;
import dev.infermint.registry.service.ModelVersionInfo;

/**
 * Service-to-service endpoints used by the inference workers; {@code InternalEndpointFilter} refuses any call
 * without a service token (401, or 403 for a user's token).
 */
@Path("/internal")
public class InternalModelResource {

  @Inject
  ModelResolution models;

  @Inject
  BlobStore blobs;

  /**
   * Resolves a model name for a tenant: its own first, then the public catalog; without a version the
   * {@code production} alias, else the newest.
   *
   * @param tenant the caller's tenant id (blank: the catalog only)
   * @param model the model name
   * @param version a version number or alias, optional
   * @return the version to run, with its model's deployment (null when none was set)
   */
  @GET
  @Path("/models/resolve")
  @Produces(MediaType.APPLICATION_JSON)
  public ResolvedModelResponse resolve(@RestQuery String tenant, @RestQuery String model,
      @RestQuery String version) {
    ModelVersionInfo resolved = models.resolve(tenant, model, version);
    return ResolvedModelResponse.of(resolved, models.deploymentOf(resolved).orElse(null));
  }

  /**
   * @param tenant the tenant id (blank: the catalog only)
   * @return the models the tenant can run: its own and the catalog's it does not shadow
   */
  @GET
  @Path("/models")
  @Produces(MediaType.APPLICATION_JSON)
  public List<InternalModelEntry> list(@RestQuery String tenant) {
    return models.listServable(tenant).stream()
        .map(m -> new InternalModelEntry(m.name(), m.owner(), m.task(), m.createdAt())).toList();
  }

  /**
   * Streams a stored file.
   *
   * @param hex the SHA-256 of the bytes, lower-case hex
   * @return the bytes as {@code application/octet-stream}, with {@code Content-Length} and an {@code ETag}
   */
  @GET
  @Path("/blobs/{hex}")
  @Produces({MediaType.APPLICATION_OCTET_STREAM, "application/problem+json"})
  public Response blob(@RestPath String hex) {
    BlobStore.StoredBlob blob = blobs.find(hex).orElseThrow(() -> Problems.notFound("blob", hex));
    InputStream in;
    try {
      in = blob.open();
    } catch (java.io.IOException e) {
      throw Problems.notFound("blob", hex);
    }
    return Response.ok(in, MediaType.APPLICATION_OCTET_STREAM_TYPE)
        .header("Content-Length", blob.sizeBytes())
        .header("ETag", "\"" + Digests.PREFIX + hex + "\"")
        .header("Cache-Control", "public, max-age=31536000, immutable")
        .build();
  }
}
