package dev.infermint.registry.rest;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.multipart.HttpPostRequestDecoder;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.file.FileSystem;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerFileUpload;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import dev.infermint.problem.Problem;
import dev.infermint.problem.Problems;
import dev.infermint.registry.config.RegistryConfig;
import dev.infermint.registry.service.BlobStore;
import dev.infermint.registry.service.RegistryProblems;

/**
 * Receives {@code POST /api/v1/models/{model}/versions} as it streams in: each file part is written to a file in the
 * {@link BlobStore}'s staging folder while its SHA-256 is computed, with the request paused whenever the disk is
 * behind, so an upload of any size costs a few buffers of heap. A part over its limit is answered 413 problem+json the
 * moment it passes the limit, whether the body has a {@code Content-Length} or is chunked. When the whole body is in,
 * the staged files go to {@link ModelResource#upload} as a {@link ReceivedUpload}; the resource checks the caller's
 * role and runs the pipeline.
 *
 * <p>Only an authenticated caller's body is read (anyone else gets the resource's 401 without the body being
 * stored). Nothing a refused, broken or interrupted upload wrote outlives the request: the files are deleted when it
 * fails, when the client goes away, and after the answer (the pipeline has moved the published ones by then).
 */
@ApplicationScoped
public class UploadReceiver {

  /** Where the received upload waits in the routing context for the resource. */
  static final String RECEIVED = ReceivedUpload.class.getName();

  private static final Logger LOG = Logger.getLogger(UploadReceiver.class);

  /** After Quarkus authenticated the caller (negative orders), before the REST layer. */
  private static final int ORDER = 1;

  @Inject
  RegistryConfig config;

  @Inject
  BlobStore blobs;

  @Inject
  ObjectMapper json;

  @Inject
  Vertx vertx;

  void install(@Observes Router router) {
    router.postWithRegex("/api/v1/models/[^/]+/versions/?").order(ORDER).handler(this::receive);
  }

  private void receive(RoutingContext ctx) {
    String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
    if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data") || !authenticated(ctx)) {
      // The resource answers: 415 for another media type, 401 for no caller. The body is not stored.
      ctx.next();
      return;
    }
    new Reception(ctx).start();
  }

  private static boolean authenticated(RoutingContext ctx) {
    return ctx.user() instanceof QuarkusHttpUser user && !user.getSecurityIdentity().isAnonymous();
  }

  /** The largest size of a file part, or null for a name that is not a file part of an upload. */
  private Long limit(String part) {
    return switch (part) {
      case "file" -> config.maxModelBytes();
      case "tokenizer" -> config.maxTokenizerBytes();
      case "labels" -> config.maxLabelsBytes();
      default -> null;
    };
  }

  /** One request being received, on its event loop. */
  private final class Reception {

    private final RoutingContext ctx;
    private final Map<String, BlobStore.StagedBlob> files = new LinkedHashMap<>();
    private final Set<String> seen = new HashSet<>();
    private final List<String> written = new ArrayList<>();
    private final List<Future<Void>> pending = new ArrayList<>();
    private final long started = System.nanoTime();
    private boolean finished;

    Reception(RoutingContext ctx) {
      this.ctx = ctx;
    }

    void start() {
      HttpServerRequest req = ctx.request();
      req.setExpectMultipart(true);
      req.uploadHandler(this::part);
      req.exceptionHandler(this::broken);
      req.endHandler(v -> ended());
      ctx.addEndHandler(ar -> deleteAll());
      req.resume();
    }

    private void part(HttpServerFileUpload upload) {
      String name = upload.name();
      if (finished) {
        upload.handler(null);
        return;
      }
      Long limit = limit(name);
      if ("task".equals(name)) {
        refuse(Problems.validation(name, "must be a text field: embedding, classification or generic").problem());
        return;
      }
      if (limit == null) {
        refuse(Problems.validation(name, "is not a part of an upload: send file (the .onnx), task, tokenizer and "
            + "labels").problem());
        return;
      }
      if (!seen.add(name)) {
        refuse(Problems.validation(name, "was sent more than once; send it once").problem());
        return;
      }
      upload.pause();
      pending.add(stage(upload, name, limit));
    }

    private Future<Void> stage(HttpServerFileUpload upload, String name, long limit) {
      FileSystem fs = vertx.fileSystem();
      return fs.createTempFile(blobs.stagingFolder().toString(), "upload-", ".part", (String) null).<Void>compose(path -> {
        written.add(path);
        if (finished) {
          deleteAll();
          return Future.<Void>failedFuture("the upload already failed");
        }
        return fs.open(path, new OpenOptions().setWrite(true).setTruncateExisting(true)).<Void>compose(file -> {
          HashingFileStream out = new HashingFileStream(file, limit);
          return upload.pipeTo(out).<Void>transform(ar -> {
            if (ar.succeeded()) {
              files.put(name, new BlobStore.StagedBlob(out.hex(), out.size(), Path.of(path)));
              return Future.<Void>succeededFuture();
            }
            if (out.overLimit()) {
              refuse(RegistryProblems.tooLarge(name, limit).problem());
            } else {
              interrupted(ar.cause());
            }
            return out.abandon().compose(v -> Future.<Void>failedFuture(ar.cause()));
          });
        });
      }).onFailure(e -> {
        if (!finished) {
          LOG.errorf(e, "Could not stage the part %s of an upload", name);
          refuse(RegistryProblems.storageFailed().problem());
        }
      });
    }

    private void ended() {
      if (finished) {
        return;
      }
      Future.all(pending).onComplete(ar -> {
        if (finished || ar.failed()) {
          return;
        }
        MultiMap text = ctx.request().formAttributes();
        for (String name : text.names()) {
          if (text.getAll(name).size() > 1 || files.containsKey(name)) {
            refuse(Problems.validation(name, "was sent more than once; send it once").problem());
            return;
          }
        }
        LOG.debugf("Received an upload to %s in %d ms: %s", ctx.request().path(),
            (System.nanoTime() - started) / 1_000_000, files.values());
        ctx.put(RECEIVED, new ReceivedUpload(Map.copyOf(files), text));
        ctx.next();
      });
    }

    /** A body the multipart decoder cannot read is the client's fault; anything else is the client going away. */
    private void broken(Throwable e) {
      if (finished) {
        return;
      }
      if (e instanceof HttpPostRequestDecoder.TooLongFormFieldException
          || e instanceof HttpPostRequestDecoder.TooManyFormFieldsException) {
        refuse(Problems.tooLarge("A text field of the upload is over the limit of "
            + "quarkus.http.limits.max-form-attribute-size, or there are too many: send the tokenizer and labels as "
            + "file parts").problem());
      } else if (e instanceof DecoderException || e instanceof HttpPostRequestDecoder.ErrorDataDecoderException
          || e instanceof IllegalStateException || e instanceof IllegalArgumentException) {
        refuse(Problems.malformed("The multipart/form-data body cannot be decoded: " + e.getMessage()).problem());
      } else {
        interrupted(e);
      }
    }

    private void interrupted(Throwable e) {
      if (finished) {
        return;
      }
      LOG.debugf("Upload to %s interrupted: %s", ctx.request().path(), e == null ? "" : e.toString());
      finished = true;
      deleteAll();
    }

    private void refuse(Problem problem) {
      if (finished) {
        return;
      }
      finished = true;
      // Answered once the files are gone, so a client that sees the refusal never finds a trace of its upload.
      deleteAll().onComplete(ar -> VertxProblems.send(ctx, json, problem, true));
    }

    /**
     * Deletes every file this request wrote that is still there (published ones were moved away).
     *
     * @return completes when they are gone; never fails
     */
    private Future<Void> deleteAll() {
      List<Future<Void>> deletes = new ArrayList<>(written.size());
      for (String path : written) {
        deletes.add(vertx.fileSystem().delete(path).recover(e -> Future.succeededFuture()));
      }
      written.clear();
      return Future.join(deletes).mapEmpty();
    }
  }
}
