package dev.infermint.admin.models;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;

import io.quarkus.qute.TemplateInstance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.infermint.admin.client.GatewayClient;
import dev.infermint.admin.client.GatewayException;
import dev.infermint.admin.web.Form;
import dev.infermint.admin.web.Pages;

/**
 * Models of the user's tenant (and the public catalog): the list, a model's versions with the chosen version's
 * signature as an inputs/outputs table, aliases (move one), deployment settings and where each replica is placed,
 * an upload form whose script shows a progress bar ({@link UploadProxy} streams the bytes on), and "try it": a form
 * built from the signature that sends one OIP request with an API key the user gives.
 */
@Path("/models")
@Produces(MediaType.TEXT_HTML)
public class ModelPages {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** Largest tensor the try-it form pre-fills with zeros; larger ones start empty. */
  private static final int PREFILL_LIMIT = 64;

  private final GatewayClient gateway;
  private final Pages pages;

  ModelPages(GatewayClient gateway, Pages pages) {
    this.gateway = gateway;
    this.pages = pages;
  }

  /**
   * @param uploadError a new model's upload problem, when its form was sent without script
   * @return the models the user's tenant sees, and the form to upload a new one
   */
  @GET
  public TemplateInstance list(@QueryParam("uploadError") String uploadError) {
    return pages.page("models/list").data("models", Pages.tree(gateway.read((api, auth) -> api.models(auth))))
        .data("uploadError", uploadError);
  }

  /**
   * @param model the model
   * @param version the version to show (default: the newest)
   * @param uploaded a version just uploaded, to confirm it
   * @param uploadError an upload's problem, when sent without script
   * @return the model's page
   */
  @GET
  @Path("{model}")
  public TemplateInstance model(@PathParam("model") String model, @QueryParam("version") Integer version,
      @QueryParam("uploaded") String uploaded, @QueryParam("uploadError") String uploadError) {
    return modelPage(model, version, Form.empty(), Form.empty(), Form.empty(), null)
        .data("uploaded", uploaded).data("uploadError", uploadError);
  }

  /**
   * @param model the model
   * @param alias the alias, e.g. {@code production}
   * @param version the version it should point at
   * @return 303 back to the model, or its page with the problem next to the field
   */
  @POST
  @Path("{model}/aliases")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Response moveAlias(@PathParam("model") String model, @RestForm String alias, @RestForm String version) {
    Form form = Form.empty().with("alias", alias).with("version", version);
    Integer v = integer(version);
    if (v == null) {
      return Pages.status(422, modelPage(model, null, form.error("version", "must be a version number"),
          Form.empty(), Form.empty(), null));
    }
    ObjectNode body = JsonNodeFactory.instance.objectNode().put("version", v);
    try {
      gateway.write((api, auth) -> api.moveAlias(auth, model, alias == null ? "" : alias.trim(), body));
      return Pages.seeOther("/models/" + model);
    } catch (GatewayException.Refused e) {
      // The model's page is read again: a model the user may not see still ends in the gateway's 404.
      return Pages.status(e.status(), modelPage(model, null, form.error(e), Form.empty(), Form.empty(), null));
    }
  }

  /**
   * @param model the model
   * @param replicas replicas wanted
   * @param device {@code cpu} or {@code gpu}
   * @param maxBatchSize rows per batch at most
   * @param maxQueueDelayMs how long a batch may wait to fill
   * @return 303 back to the model, or its page with the problem next to the field
   */
  @POST
  @Path("{model}/deployment")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Response deploy(@PathParam("model") String model, @RestForm String replicas, @RestForm String device,
      @RestForm String maxBatchSize, @RestForm String maxQueueDelayMs) {
    Form form = Form.empty().with("replicas", replicas).with("device", device).with("maxBatchSize", maxBatchSize)
        .with("maxQueueDelayMs", maxQueueDelayMs);
    ObjectNode body = JsonNodeFactory.instance.objectNode().put("device", device);
    for (Map.Entry<String, String> e : Map.of("replicas", nn(replicas), "maxBatchSize", nn(maxBatchSize),
        "maxQueueDelayMs", nn(maxQueueDelayMs)).entrySet()) {
      Integer n = integer(e.getValue());
      if (n == null) {
        form.error(e.getKey(), "must be a whole number");
      } else {
        body.put(e.getKey(), n);
      }
    }
    if (form.failed()) {
      return Pages.status(422, modelPage(model, null, Form.empty(), form, Form.empty(), null));
    }
    try {
      gateway.write((api, auth) -> api.deploy(auth, model, body));
      return Pages.seeOther("/models/" + model);
    } catch (GatewayException.Refused e) {
      return Pages.status(e.status(), modelPage(model, null, Form.empty(), form.error(e), Form.empty(), null));
    }
  }

  /**
   * Runs the model once: the form's fields {@code shape.<input>} and {@code data.<input>} become one OIP request,
   * sent through the gateway with the API key given (so the call is metered and counted as any other).
   *
   * @param model the model
   * @param fields the form: {@code apiKey}, {@code version}, and per input its shape and data
   * @return the model's page with the answer, or the problem next to the input it names
   */
  @POST
  @Path("{model}/try")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Response tryIt(@PathParam("model") String model, MultivaluedMap<String, String> fields) {
    String apiKey = nn(fields.getFirst("apiKey")).trim();
    Integer version = integer(fields.getFirst("version"));
    JsonNode signature = version(model, version);
    Form form = Form.empty().with("apiKey", "");
    ObjectNode request = JsonNodeFactory.instance.objectNode();
    ArrayNode inputs = request.putArray("inputs");
    for (JsonNode input : signature.path("inputs")) {
      String name = input.path("name").asText();
      String shape = nn(fields.getFirst("shape." + name));
      String data = nn(fields.getFirst("data." + name));
      form.with("shape." + name, shape).with("data." + name, data);
      ObjectNode tensor = inputs.addObject().put("name", name).put("datatype", input.path("datatype").asText());
      try {
        ArrayNode dims = tensor.putArray("shape");
        for (String d : shape.split(",")) {
          dims.add(Long.parseLong(d.trim()));
        }
      } catch (NumberFormatException e) {
        form.error("shape." + name, "must be whole numbers separated by commas, e.g. 1,4");
      }
      try {
        tensor.set("data", JSON.readTree(data.isBlank() ? "[]" : data));
      } catch (JsonProcessingException e) {
        form.error("data." + name, "must be a JSON array, e.g. [1.0, 2.0]");
      }
    }
    if (!apiKey.startsWith("imk_")) {
      form.error("apiKey", "paste an API key of this tenant (imk_…); create one on the API keys page");
    }
    if (form.failed()) {
      return Pages.status(422, modelPage(model, version, Form.empty(), Form.empty(), form, null));
    }
    try {
      JsonNode answer = gateway.withKey(apiKey, (api, auth) -> api.infer(auth, model, request));
      return Response.ok(modelPage(model, version, Form.empty(), Form.empty(), form, Pages.tree(answer)))
          .type("text/html;charset=UTF-8").build();
    } catch (GatewayException e) {
      String field = e.detail() == null ? null : inputNamed(signature, e.detail());
      form.error(field == null ? null : "data." + field, e.status() + " " + nn(e.code()) + ": " + e.detail());
      return Pages.status(e.status() >= 500 ? 502 : e.status(),
          modelPage(model, version, Form.empty(), Form.empty(), form, null));
    }
  }

  private TemplateInstance modelPage(String model, Integer version, Form aliasForm, Form deployForm, Form tryForm,
      Object answer) {
    JsonNode info = gateway.read((api, auth) -> api.model(auth, model));
    int shown = version != null ? version : info.path("latestVersion").asInt();
    JsonNode details = version(model, shown);
    JsonNode deployment = info.path("owner").asText().equals("public") ? null : readDeployment(model);
    List<Map<String, Object>> tryInputs = new ArrayList<>();
    for (JsonNode input : details.path("inputs")) {
      Map<String, Object> row = new LinkedHashMap<>(Pages.map(input));
      String name = input.path("name").asText();
      row.put("shapeText", tryForm.values().getOrDefault("shape." + name, concreteShape(input.path("shape"))));
      row.put("dataText", tryForm.values().getOrDefault("data." + name, zeros(input)));
      row.put("shapeError", tryForm.errors().get("shape." + name));
      row.put("dataError", tryForm.errors().get("data." + name));
      tryInputs.add(row);
    }
    if (deployForm.values().isEmpty() && deployment != null) {
      deployForm.with("replicas", deployment.path("replicas").asText()).with("device", deployment.path("device")
          .asText("cpu")).with("maxBatchSize", deployment.path("maxBatchSize").asText())
          .with("maxQueueDelayMs", deployment.path("maxQueueDelayMs").asText());
    }
    return pages.page("models/model").data("model", Pages.map(info)).data("version", Pages.map(details))
        .data("deployment", deployment == null ? null : Pages.map(deployment)).data("tryInputs", tryInputs)
        .data("aliasForm", aliasForm).data("deployForm", deployForm).data("tryForm", tryForm)
        .data("answer", answer).data("uploaded", null).data("uploadError", null);
  }

  private JsonNode readDeployment(String model) {
    try {
      return gateway.read((api, auth) -> api.deployment(auth, model));
    } catch (GatewayException.Refused e) {
      return null;
    }
  }

  private JsonNode version(String model, Integer version) {
    int v = version != null ? version : gateway.read((api, auth) -> api.model(auth, model)).path("latestVersion")
        .asInt();
    return gateway.read((api, auth) -> api.version(auth, model, v));
  }

  /** The input a worker's problem names (its detail quotes the tensor's name), or null. */
  private static String inputNamed(JsonNode signature, String detail) {
    for (JsonNode input : signature.path("inputs")) {
      String name = input.path("name").asText();
      if (detail.contains("'" + name + "'") || detail.contains("\"" + name + "\"") || detail.contains(name + ":")) {
        return name;
      }
    }
    return null;
  }

  /** The signature's shape with every free dimension ({@code -1}) as 1: a one-row request. */
  static String concreteShape(JsonNode shape) {
    StringBuilder sb = new StringBuilder();
    for (JsonNode d : shape) {
      sb.append(sb.isEmpty() ? "" : ",").append(d.asLong() < 0 ? 1 : d.asLong());
    }
    return sb.toString();
  }

  /** Zeros (or {@code false}, or empty strings) for a tensor of the concrete shape, when it is small. */
  static String zeros(JsonNode input) {
    long count = 1;
    for (JsonNode d : input.path("shape")) {
      count *= d.asLong() < 0 ? 1 : d.asLong();
    }
    if (count > PREFILL_LIMIT) {
      return "";
    }
    String zero = switch (input.path("datatype").asText()) {
      case "BOOL" -> "false";
      case "BYTES" -> "\"\"";
      case "FP32", "FP64", "FP16" -> "0.0";
      default -> "0";
    };
    StringBuilder sb = new StringBuilder("[");
    for (long i = 0; i < count; i++) {
      sb.append(i == 0 ? "" : ", ").append(zero);
    }
    return sb.append(']').toString();
  }

  private static Integer integer(String s) {
    try {
      return s == null || s.isBlank() ? null : Integer.valueOf(s.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String nn(String s) {
    return s == null ? "" : s;
  }
}
