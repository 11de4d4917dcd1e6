package dev.infermint.admin.models;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Streams a model upload from the browser to the gateway ({@code POST /api/v1/models/{model}/versions}) as it
 * arrives: the browser's multipart body is piped, with back-pressure, into the gateway's request, so an upload of
 * hundreds of MB costs the console a few buffers and the browser's progress bar counts bytes really sent on. The
 * gateway's answer (201 with the version, or the registry's problem naming the field) comes back as it is to the
 * page's script ({@code X-Requested-With: XMLHttpRequest}); a form sent without script is answered with a redirect
 * to the model's page, which shows the outcome.
 */
@ApplicationScoped
public class UploadProxy {

  private static final Logger LOG = Logger.getLogger(UploadProxy.class);
  /** What can be a model name in a URL path; the registry checks its own rule on what passes. */
  static final Pattern MODEL_NAME = Pattern.compile("[A-Za-z0-9._-]{1,128}");
  /** After Quarkus authenticated the user (negative orders), before the REST layer. */
  private static final int ORDER = 1;
  /** The largest body any other console request may have: forms are a few KB. */
  static final long OTHER_BODY_LIMIT = 1024 * 1024;
  /** Where the new-model form posts when the page's script did not run (the name is still in the body). */
  static final String NEW_MODEL_WITHOUT_SCRIPT = "_";
  private static final Pattern UPLOAD_PATH = Pattern.compile("/models/[^/]+/upload");

  private final HttpClient client;
  private final String gateway;

  UploadProxy(Vertx vertx, @ConfigProperty(name = "quarkus.rest-client.gateway.url") String gateway) {
    // An idle minute means the browser or the gateway stopped sending; a long upload is never idle.
    this.client = vertx.createHttpClient(new HttpClientOptions().setIdleTimeout(60).setMaxPoolSize(16)
        .setKeepAlive(true));
    this.gateway = gateway.endsWith("/") ? gateway.substring(0, gateway.length() - 1) : gateway;
  }

  void install(@Observes Router router) {
    router.route().order(ORDER - 1).handler(UploadProxy::limitOtherBodies);
    router.postWithRegex("/models/([^/]+)/upload").order(ORDER).handler(this::forward);
  }

  /**
   * {@code quarkus.http.limits.max-body-size} is as large as an upload may be (the gateway's limit); every other
   * request must declare a body of at most {@link #OTHER_BODY_LIMIT}, so no form post can make the REST layer buffer
   * hundreds of MB. A body without a length (chunked) is refused with 411 there; browsers always send one for forms.
   */
  static void limitOtherBodies(RoutingContext ctx) {
    HttpServerRequest in = ctx.request();
    if (in.method() == HttpMethod.POST && UPLOAD_PATH.matcher(in.path()).matches()) {
      ctx.next();
      return;
    }
    String length = in.getHeader(HttpHeaders.CONTENT_LENGTH);
    boolean chunked = length == null && in.headers().contains(HttpHeaders.TRANSFER_ENCODING, "chunked", true);
    long declared;
    try {
      declared = length == null ? 0 : Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      declared = Long.MAX_VALUE;
    }
    if (chunked || declared > OTHER_BODY_LIMIT) {
      int status = chunked ? 411 : 413;
      ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONNECTION, "close")
          .putHeader(HttpHeaders.CONTENT_TYPE, "application/problem+json")
          .end(problem(status, chunked ? "length_required" : "payload_too_large", null, chunked
              ? "A request to the console must say its Content-Length; only model uploads may be chunked"
              : "A request to the console may carry at most " + OTHER_BODY_LIMIT + " bytes; only model uploads "
                  + "may be larger").put("limit", OTHER_BODY_LIMIT).encode());
      return;
    }
    ctx.next();
  }

  private void forward(RoutingContext ctx) {
    HttpServerRequest in = ctx.request();
    String model = ctx.pathParam("param0");
    boolean script = "XMLHttpRequest".equals(in.getHeader("X-Requested-With"));
    String token = accessToken(ctx);
    if (token == null) {
      ctx.next();
      return;
    }
    String type = in.getHeader(HttpHeaders.CONTENT_TYPE);
    if (NEW_MODEL_WITHOUT_SCRIPT.equals(model)) {
      // The new-model form names its model in a field, which only the page's script can put into the URL.
      answer(ctx, script, null, 422, problem(422, "validation_failed", "name", "name: uploading a new model needs "
          + "JavaScript in the browser; or upload its first version with the API (POST /api/v1/models/{name}/versions)"
          + " and add later versions from the model's page"));
      return;
    }
    if (model == null || !MODEL_NAME.matcher(model).matches()) {
      answer(ctx, script, model, 422, problem(422, "validation_failed", "name",
          "name: may hold only letters, digits, '.', '_' or '-' (at most 128)"));
      return;
    }
    if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
      answer(ctx, script, model, 415, problem(415, "unsupported_media_type", null,
          "An upload is multipart/form-data with the parts file, task, tokenizer and labels"));
      return;
    }
    in.pause();
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST)
        .setAbsoluteURI(gateway + "/api/v1/models/" + URLEncoder.encode(model, StandardCharsets.UTF_8) + "/versions")
        .putHeader(HttpHeaders.CONTENT_TYPE, type)
        .putHeader(HttpHeaders.AUTHORIZATION, "Bearer " + token)
        .putHeader(HttpHeaders.ACCEPT, "application/json");
    String length = in.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null) {
      options.putHeader(HttpHeaders.CONTENT_LENGTH, length);
    }
    client.request(options)
        .compose(out -> {
          // A failure also fails the response future, which answers the browser; this only keeps it out of the log.
          out.exceptionHandler(err -> LOG.debugf("Upload of %s: the gateway connection failed: %s", model, err));
          if (length == null) {
            out.setChunked(true);
          }
          return pipe(in, out);
        })
        .compose(response -> response.body().map(body -> new Answer(response.statusCode(), body)))
        .onSuccess(answer -> answerUpstream(ctx, script, model, answer))
        .onFailure(err -> {
          LOG.warnf("Upload of %s to the gateway failed: %s", model, err.toString());
          answer(ctx, script, model, 502, problem(502, "upstream_unavailable", null,
              "The upload did not reach the registry: " + err.getMessage()));
        });
  }

  /**
   * Vert.x's {@code send(ReadStream)} with one guard more: once the gateway has answered (it may refuse before the
   * body is all there) or the connection failed, what the browser still sends is dropped instead of written into a
   * finished request, which would throw on the event loop.
   */
  private static Future<HttpClientResponse> pipe(HttpServerRequest in, HttpClientRequest out) {
    AtomicBoolean done = new AtomicBoolean();
    Future<HttpClientResponse> response = out.response().onComplete(ignored -> done.set(true));
    in.handler(chunk -> {
      if (done.get()) {
        return;
      }
      try {
        out.write(chunk);
        if (out.writeQueueFull()) {
          in.pause();
          out.drainHandler(ignored -> in.resume());
        }
      } catch (IllegalStateException finished) {
        done.set(true);
      }
    });
    in.endHandler(ignored -> {
      if (!done.get()) {
        out.end();
      }
    });
    in.exceptionHandler(err -> out.reset(0, err));
    in.resume();
    return response;
  }

  /** What the gateway answered. */
  private record Answer(int status, Buffer body) {
  }

  private static void answerUpstream(RoutingContext ctx, boolean script, String model, Answer answer) {
    JsonObject json;
    try {
      json = answer.body().length() == 0 ? new JsonObject() : answer.body().toJsonObject();
    } catch (RuntimeException e) {
      answer(ctx, script, model, 502, problem(502, "upstream_unavailable", null,
          "The registry answered " + answer.status() + " with a body that is not JSON"));
      return;
    }
    answer(ctx, script, model, answer.status(), json);
  }

  private static void answer(RoutingContext ctx, boolean script, String model, int status, JsonObject body) {
    if (ctx.response().ended()) {
      return;
    }
    HttpServerRequest in = ctx.request();
    if (!in.isEnded()) {
      // Answered before the browser finished sending (the gateway refused early or went away): drop what is still
      // coming instead of piping it into a finished request, and close the connection after the answer.
      in.handler(ignored -> { });
      ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
    }
    if (script) {
      ctx.response().setStatusCode(status)
          .putHeader(HttpHeaders.CONTENT_TYPE, status < 300 ? "application/json" : "application/problem+json")
          .end(body.encode());
      return;
    }
    String page = model != null && MODEL_NAME.matcher(model).matches() ? "/models/" + model : "/models";
    String query = status < 300 ? "?uploaded=" + body.getValue("version")
        : "?uploadError=" + URLEncoder.encode(String.valueOf(body.getValue("detail")), StandardCharsets.UTF_8);
    ctx.response().setStatusCode(303).putHeader(HttpHeaders.LOCATION, page + query).end();
  }

  /**
   * A problem as the platform's services write it ({@code dev.infermint.problem.Problem}: type {@code TYPE_BASE +
   * code}, a readable title). That library is not a dependency here: it brings JSON exception mappers, and the
   * console's errors are HTML pages.
   */
  private static JsonObject problem(int status, String code, String field, String detail) {
    String title = Character.toUpperCase(code.charAt(0)) + code.substring(1).replace('_', ' ');
    JsonObject p = new JsonObject().put("type", "https://infermint.dev/problems/" + code)
        .put("title", title).put("status", status).put("detail", detail).put("code", code);
    return field == null ? p : p.put("field", field);
  }

  private static String accessToken(RoutingContext ctx) {
    if (ctx.user() instanceof QuarkusHttpUser user && !user.getSecurityIdentity().isAnonymous()) {
      AccessTokenCredential credential = user.getSecurityIdentity().getCredential(AccessTokenCredential.class);
      return credential == null ? null : credential.getToken();
    }
    return null;
  }
}
