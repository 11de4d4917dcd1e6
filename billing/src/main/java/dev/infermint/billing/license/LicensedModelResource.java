package dev.infermint.billing.license;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smallrye.common.annotation.Blocking;

import dev.infermint.problem.Problems;

/**
 * {@code GET /api/v1/licenses/{id}/models/{model}} with {@code Authorization: License <key>} and
 * {@code X-Machine-Fingerprint} (SPEC §5): the files of a model the licence entitles ({@code model:<name>}), for the
 * standalone worker on the buyer's machine. A zip, streamed from the registry's blob store: {@code model.onnx},
 * {@code tokenizer.json} when the version has one, and {@code model.json} (the registry's resolution: name, version,
 * task, digests, inputs, outputs, labels; plus {@code license}).
 */
@Path("/api/v1/licenses/{id}/models/{model}")
public class LicensedModelResource {

  /** The header naming the downloading machine. */
  public static final String FINGERPRINT = "X-Machine-Fingerprint";
  private static final Pattern MODEL = Pattern.compile("^[a-z0-9][a-z0-9._-]{0,127}$");

  @Inject
  LicenseService licenses;
  @Inject
  RegistryModels registry;
  @Inject
  ObjectMapper json;

  /**
   * @param id the licence
   * @param model the model name
   * @param authorization {@code License <key>}
   * @param fingerprint an activated machine's fingerprint
   * @return the zip
   */
  @GET
  @Blocking
  public Response download(@RestPath String id, @RestPath String model,
      @RestHeader(HttpHeaders.AUTHORIZATION) String authorization, @RestHeader(FINGERPRINT) String fingerprint) {
    UUID licenseId;
    try {
      licenseId = UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw Problems.notFound("license", id);
    }
    if (!MODEL.matcher(model).matches()) {
      throw Problems.validation("model", "is a model name: lower case letters, digits, '.', '_' or '-'");
    }
    String key = authorization != null && authorization.regionMatches(true, 0, "License ", 0, 8)
        ? authorization.substring(8).trim() : null;
    String tenantId = licenses.authorizeModelDownload(key, licenseId, fingerprint, model);
    JsonNode version = registry.resolve(tenantId, model);
    String digest = version.path("digest").asText();
    String tokenizer = version.path("tokenizerDigest").isTextual() ? version.path("tokenizerDigest").asText() : null;
    // The manifest is the registry's resolution (name, version, task, digests, tensor signatures, labels), which the
    // standalone worker reads as it would read the registry's answer, plus the licence it was downloaded under.
    ObjectNode manifest = version.deepCopy();
    manifest.remove("deployment");
    manifest.put("license", licenseId.toString());
    // The model's blob is opened before the answer starts: a registry that cannot serve it is a 503, not a broken zip.
    InputStream onnx = registry.blob(digest);
    StreamingOutput zip = out -> write(out, manifest, onnx, tokenizer);
    return Response.ok(zip, "application/zip")
        .header("Content-Disposition", "attachment; filename=\"" + model + "-" + manifest.path("version").asText()
            + ".zip\"")
        .build();
  }

  private void write(OutputStream out, ObjectNode manifest, InputStream onnx, String tokenizer)
      throws IOException {
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      zip.putNextEntry(new ZipEntry("model.json"));
      zip.write(json.writerWithDefaultPrettyPrinter().writeValueAsString(manifest).getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
      try (InputStream blob = onnx) {
        zip.putNextEntry(new ZipEntry("model.onnx"));
        blob.transferTo(zip);
        zip.closeEntry();
      }
      if (tokenizer != null) {
        copy(zip, "tokenizer.json", tokenizer);
      }
    }
  }

  private void copy(ZipOutputStream zip, String name, String digest) throws IOException {
    try (InputStream blob = registry.blob(digest)) {
      zip.putNextEntry(new ZipEntry(name));
      blob.transferTo(zip);
      zip.closeEntry();
    }
  }
}
