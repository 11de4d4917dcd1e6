package dev.infermint.registry.rest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.jboss.resteasy.reactive.RestPath;

import com.fasterxml.jackson.databind.JsonNode;

import io.vertx.ext.web.RoutingContext;

import dev.infermint.auth.Caller;
import dev.infermint.problem.Problems;
import dev.infermint.registry.config.RegistryConfig;
import dev.infermint.registry.placement.PlacementViews;
import dev.infermint.registry.service.BlobStore;
import dev.infermint.registry.service.CatalogPublisher;
import dev.infermint.registry.service.ClassLabels;
import dev.infermint.registry.service.DeploymentSettings;
import dev.infermint.registry.service.Deployments;
import dev.infermint.registry.service.ModelAliases;
import dev.infermint.registry.service.ModelMetadata;
import dev.infermint.registry.service.ModelQueries;
import dev.infermint.registry.service.ModelUpload;
import dev.infermint.registry.service.ModelVersionInfo;
import dev.infermint.registry.service.ModelVersions;
import dev.infermint.registry.service.Owners;
import dev.infermint.registry.service.RegistryProblems;
import dev.infermint.registry.service.UploadPipeline;

/**
 * The management API for models ({@code /api/v1/models}). A caller reads its tenant's models and the public catalog;
 * it writes only its own tenant's (tenant-admin, or an API key with scope {@code admin}). A platform admin without a
 * tenant writes the public catalog. Other tenants' models answer 404.
 */
@Path("/api/v1/models")
@Produces(MediaType.APPLICATION_JSON)
public class ModelResource {

  /** The media type of a JSON merge patch (RFC 7396). */
  static final String MERGE_PATCH_JSON = "application/merge-patch+json";

  @Inject
  Caller caller;

  @Inject
  ModelQueries models;

  @Inject
  UploadPipeline uploads;

  @Inject
  ModelVersions versions;

  @Inject
  ModelAliases aliases;

  @Inject
  Deployments deployments;

  @Inject
  PlacementViews placements;

  @Inject
  RegistryConfig config;

  @Inject
  ModelMetadata metadata;

  @Inject
  CatalogPublisher catalog;

  @Inject
  BlobStore blobs;

  /** Lists the caller's tenant's models and the public catalog. */
  @GET
  public List<ModelResponse> list() {
    return models.list(readOwners()).stream().map(ModelResponse::of).toList();
  }

  /** One model: the caller's tenant's of that name, else the catalog's. */
  @GET
  @Path("/{model}")
  public ModelResponse get(@RestPath String model) {
    return ModelResponse.of(models.get(readOwners(), model));
  }

  /** Every version of a model, oldest first. */
  @GET
  @Path("/{model}/versions")
  public List<ModelVersionResponse> versions(@RestPath String model) {
    return models.listVersions(readOwners(), model).stream().map(ModelVersionResponse::of).toList();
  }

  /** One version of a model. */
  @GET
  @Path("/{model}/versions/{version}")
  public ModelVersionResponse version(@RestPath String model, @RestPath String version) {
    return ModelVersionResponse.of(models.getVersion(readOwners(), model, version));
  }

  /**
   * Uploads a new version. Multipart parts: {@code file} (the .onnx, a file part), {@code task} (optional text),
   * {@code tokenizer} (tokenizer.json, file or text; required for {@code embedding}), {@code labels} (optional, file
   * or text: one label per line, or a JSON array of strings). The body was streamed to disk and hashed by
   * {@link UploadReceiver} before this runs; the staged files are deleted here unless the pipeline published them.
   */
  @POST
  @Path("/{model}/versions")
  @Consumes(MediaType.MULTIPART_FORM_DATA)
  @RequestBody(required = true, content = @Content(mediaType = MediaType.MULTIPART_FORM_DATA,
      schema = @Schema(implementation = UploadForm.class)))
  public Response upload(@RestPath String model, @Context RoutingContext ctx) {
    String owner = writeOwner();
    ReceivedUpload received = ctx.get(UploadReceiver.RECEIVED);
    if (received == null) {
      throw Problems.malformed("The body is not a multipart/form-data upload (curl -F file=@model.onnx)");
    }
    try {
      if (received.file("file") == null && received.text("file") != null) {
        throw Problems.validation("file", "must be a file part holding the .onnx model (curl -F file=@model.onnx)");
      }
      String labels = labels(received);
      ModelUpload upload = new ModelUpload(model, received.text("task"), source(received, "file"),
          source(received, "tokenizer"), labels == null ? null : ClassLabels.parse(labels), false);
      ModelVersionInfo stored = uploads.upload(owner, upload).orElseThrow();
      return Response.created(URI.create("/api/v1/models/" + stored.name() + "/versions/" + stored.version()))
          .entity(ModelVersionResponse.of(stored)).build();
    } finally {
      received.files().values().forEach(blobs::discard);
    }
  }

  /** Changes a model's description and tags (a JSON merge patch: absent stays, null clears). */
  @PATCH
  @Path("/{model}")
  @Consumes({MediaType.APPLICATION_JSON, MERGE_PATCH_JSON})
  public ModelResponse updateModel(@RestPath String model, JsonNode body) {
    String owner = writeOwner();
    return ModelResponse.of(metadata.updateModel(owner, model, MetadataRequest.parse(body)));
  }

  /** Changes a version's description and tags; its file and signature never change. */
  @PATCH
  @Path("/{model}/versions/{version}")
  @Consumes({MediaType.APPLICATION_JSON, MERGE_PATCH_JSON})
  public ModelVersionResponse updateVersion(@RestPath String model, @RestPath String version, JsonNode body) {
    String owner = writeOwner();
    return ModelVersionResponse.of(metadata.updateVersion(owner, model, version, MetadataRequest.parse(body)));
  }

  /**
   * Publishes a tenant's version to the public catalog (platform-admin): a new version of the catalog model
   * {@code name} (default: the same name) sharing the version's files.
   */
  @POST
  @Path("/{model}/versions/{version}/publish")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response publish(@RestPath String model, @RestPath String version, PublishRequest body) {
    caller.requirePlatformAdmin();
    ModelVersionInfo published = catalog.publish(body == null ? null : body.tenantId(), model, version,
        body == null ? null : body.name());
    return Response.created(URI.create("/api/v1/models/" + published.name() + "/versions/" + published.version()))
        .entity(ModelVersionResponse.of(published)).build();
  }

  /** Deletes a version of one of the caller's tenant's models. */
  @DELETE
  @Path("/{model}/versions/{version}")
  public Response deleteVersion(@RestPath String model, @RestPath String version) {
    versions.deleteVersion(writeOwner(), model, version);
    return Response.noContent().build();
  }

  /** Points an alias ({@code production}, {@code staging}...) at a version. */
  @PUT
  @Path("/{model}/aliases/{alias}")
  @Consumes(MediaType.APPLICATION_JSON)
  public AliasResponse setAlias(@RestPath String model, @RestPath String alias, AliasRequest body) {
    String owner = writeOwner();
    Integer version = body == null ? null : body.version();
    aliases.setAlias(owner, model, alias, version);
    return new AliasResponse(model, alias, version);
  }

  /** Removes an alias. */
  @DELETE
  @Path("/{model}/aliases/{alias}")
  public Response deleteAlias(@RestPath String model, @RestPath String alias) {
    aliases.deleteAlias(writeOwner(), model, alias);
    return Response.noContent().build();
  }

  /** Stores how the model should be served. */
  @PUT
  @Path("/{model}/deployment")
  @Consumes(MediaType.APPLICATION_JSON)
  public DeploymentResponse setDeployment(@RestPath String model, DeploymentRequest body) {
    String owner = writeOwner();
    if (body == null) {
      throw Problems.validation("replicas", "is required: send {replicas, device, maxBatchSize, maxQueueDelayMs}");
    }
    return DeploymentResponse.of(model, deployments.setDeployment(owner, model, body.validate()));
  }

  /**
   * A model's serving settings and where it runs: its replicas on workers, the version calls without a version run,
   * and whether a rollout is under way.
   *
   * @return the deployment with its status; 404 {@code not_found} when the model has none
   */
  @GET
  @Path("/{model}/deployment")
  public DeploymentResponse deployment(@RestPath String model) {
    List<String> owners = readOwners();
    DeploymentSettings settings = models.get(owners, model).deployment();
    PlacementViews.Status status = placements.status(owners, model);
    if (settings == null || status == null) {
      throw Problems.notFound("deployment", model);
    }
    return DeploymentResponse.of(model, settings, status);
  }

  /** Owners whose models the caller reads, its own tenant first. */
  private List<String> readOwners() {
    caller.requireAuthenticated();
    if (caller.tenantId() == null) {
      return Owners.visibleOwners(null);
    }
    caller.requireTenantRead(caller.tenantId());
    return Owners.visibleOwners(caller.tenantId());
  }

  /** The owner a write goes to: the caller's tenant (tenant-admin needed), or the catalog for a platform admin. */
  private String writeOwner() {
    if (caller.authenticated() && caller.tenantId() == null && caller.platformAdmin()) {
      return Owners.PUBLIC;
    }
    String tenant = caller.requireOwnTenant();
    caller.requireTenantAdmin(tenant);
    return tenant;
  }

  private ModelUpload.Source source(ReceivedUpload received, String name) {
    BlobStore.StagedBlob staged = received.file(name);
    if (staged != null) {
      return ModelUpload.Source.of(staged);
    }
    String text = received.text(name);
    if (text == null) {
      return null;
    }
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if ("tokenizer".equals(name) && bytes.length > config.maxTokenizerBytes()) {
      throw RegistryProblems.tooLarge(name, config.maxTokenizerBytes());
    }
    return () -> new ByteArrayInputStream(bytes);
  }

  private String labels(ReceivedUpload received) {
    BlobStore.StagedBlob staged = received.file("labels");
    String text = received.text("labels");
    if (staged != null) {
      try {
        text = Files.readString(staged.file(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    if (text != null && text.getBytes(StandardCharsets.UTF_8).length > config.maxLabelsBytes()) {
      throw RegistryProblems.tooLarge("labels", config.maxLabelsBytes());
    }
    return text;
  }
}
