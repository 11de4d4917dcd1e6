package dev.infermint.worker.rest;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.response.ValidatableResponse;

import dev.infermint.worker.AsGateway;
import dev.infermint.worker.LocalRegistryResource;

/** Every OIP datatype in JSON, request and tensor parameters, and the server metadata, on real ONNX Runtime. */
@QuarkusTest
class OipDatatypesTest {

  private static final String A = LocalRegistryResource.TENANT_A;
  private static final String PROBLEM = "application/problem+json";

  private static Map<String, Object> tensor(String name, String datatype, List<?> data) {
    return Map.of("name", name, "shape", List.of(data.size()), "datatype", datatype, "data", data);
  }

  private static ValidatableResponse infer(String model, Object body) {
    return AsGateway.tenant(A).body(body).post("/v2/models/" + model + "/infer").then().log().ifValidationFails();
  }

  /** The narrow model's four inputs, with one replaced. */
  private static Map<String, Object> narrow(Map<String, Object> replaced) {
    Map<String, Map<String, Object>> inputs = new java.util.LinkedHashMap<>();
    inputs.put("u8", tensor("u8", "UINT8", List.of(0, 128, 255)));
    inputs.put("i8", tensor("i8", "INT8", List.of(-128, 0, 127)));
    inputs.put("i16", tensor("i16", "INT16", List.of(-32768, 1, 32767)));
    inputs.put("f16", tensor("f16", "FP16", List.of(1.5, -65504, 0.1)));
    if (replaced != null) {
      inputs.put((String) replaced.get("name"), replaced);
    }
    return Map.of("inputs", List.copyOf(inputs.values()));
  }

  @Test
  void narrowIntegersAndHalfFloatsRoundTripExactly() {
    JsonPath json = infer("narrow", narrow(null))
        .statusCode(200)
        .body("outputs.find { it.name == 'u8_out' }.datatype", equalTo("UINT8"))
        .body("outputs.find { it.name == 'u8_out' }.data", contains(0, 128, 255))
        .body("outputs.find { it.name == 'i8_out' }.datatype", equalTo("INT8"))
        .body("outputs.find { it.name == 'i8_out' }.data", contains(-128, 0, 127))
        .body("outputs.find { it.name == 'i16_out' }.datatype", equalTo("INT16"))
        .body("outputs.find { it.name == 'i16_out' }.data", contains(-32768, 1, 32767))
        .body("outputs.find { it.name == 'f16_out' }.datatype", equalTo("FP16"))
        .body("outputs.find { it.name == 'f16_out' }.shape", contains(3))
        .extract().jsonPath().using(new JsonPathConfig(JsonPathConfig.NumberReturnType.DOUBLE));
    // 0.1 has no half: the nearest one is 0.0999755859375 (1638 / 2^14), written as the float it is.
    List<Number> halves = json.getList("outputs.find { it.name == 'f16_out' }.data");
    assertEquals(List.of(1.5f, -65504f, 0.0999755859375f), halves.stream().map(Number::floatValue).toList());
  }

  @Test
  void valuesOutOfTheirTypesRangeAreNamed() {
    Object[][] cases = {
        {"u8", "UINT8", 256, "[0, 255]"}, {"u8", "UINT8", -1, "[0, 255]"}, {"i8", "INT8", -129, "[-128, 127]"},
        {"i16", "INT16", 40_000, "[-32768, 32767]"}, {"f16", "FP16", 70_000, "65504"}};
    for (Object[] c : cases) {
      infer("narrow", narrow(tensor((String) c[0], (String) c[1], List.of(c[2], 0, 0))))
          .statusCode(400).contentType(PROBLEM)
          .body("code", equalTo("invalid_input"))
          .body("tensor", equalTo(c[0]))
          .body("detail", containsString("element 0 (" + c[2] + ") is out of range for " + c[1]))
          .body("detail", containsString((String) c[3]))
          .header("X-Infermint-Units", nullValue());
    }
    infer("affine", Map.of("inputs", List.of(Map.of("name", "x", "shape", List.of(1, 3), "datatype", "FP32",
        "data", List.of(1, 1e39, 1)))))
        .statusCode(400).contentType(PROBLEM).body("tensor", equalTo("x"))
        .body("detail", containsString("element 1 (1.0E39) is out of range for FP32"));
    infer("narrow", narrow(tensor("i8", "INT8", List.of(1.5, 0, 0))))
        .statusCode(400).contentType(PROBLEM).body("tensor", equalTo("i8"))
        .body("detail", containsString("element 0 (1.5) is not a valid INT8 value"));
  }

  @Test
  void aDatatypeTheInputDoesNotTakeNamesBoth() {
    infer("narrow", narrow(tensor("i16", "INT32", List.of(1, 2, 3))))
        .statusCode(400).contentType(PROBLEM).body("tensor", equalTo("i16"))
        .body("detail", containsString("datatype is INT32, but model 'narrow' expects INT16"));
    infer("narrow", narrow(Map.of("name", "f16", "shape", List.of(3), "data", List.of(1, 2, 3))))
        .statusCode(400).contentType(PROBLEM).body("tensor", equalTo("f16"))
        .body("detail", containsString("datatype is missing; model 'narrow' expects FP16"));
  }

  @Test
  void anUnsignedInputTheJvmCannotCreateIsA422NamingIt() {
    infer("unsigned", Map.of("inputs", List.of(tensor("u32", "UINT32", List.of(1, 2)))))
        .statusCode(422).contentType(PROBLEM)
        .body("code", equalTo("unsupported_model"))
        .body("tensor", equalTo("u32"))
        .body("detail", containsString("takes UINT32, which ONNX Runtime's Java API"))
        .header("X-Infermint-Units", nullValue());
    // Not silently converted to a type the model does not take.
    infer("unsigned", Map.of("inputs", List.of(tensor("u32", "INT64", List.of(1, 2)))))
        .statusCode(400).contentType(PROBLEM).body("tensor", equalTo("u32"))
        .body("detail", containsString("expects UINT32"));
  }

  @Test
  void parametersAreAcceptedAtEveryLevelAndTheIdIsEchoed() {
    Map<String, Object> x = Map.of("name", "x", "shape", List.of(1, 3), "datatype", "FP32",
        "data", List.of(1, 2, 3), "parameters", Map.of("content_type", "np", "shared_memory_region", false));
    Map<String, Object> body = Map.of("id", "with-parameters", "parameters", Map.of("priority", 1, "custom", "x"),
        "inputs", List.of(x), "outputs", List.of(Map.of("name", "y", "parameters", Map.of("classification", 0))));
    infer("affine", body)
        .statusCode(200)
        .body("id", equalTo("with-parameters"))
        .body("outputs[0].name", equalTo("y"))
        .body("outputs[0].parameters", nullValue());
  }

  @Test
  void serverMetadataNamesTheBinaryExtension() {
    AsGateway.tenant(A).get("/v2").then().log().ifValidationFails()
        .statusCode(200)
        .body("name", equalTo("infermint"))
        .body("version", matchesPattern("\\d+\\.\\d+\\.\\d+.*"))
        .body("extensions", hasItem("binary_tensor_data"))
        .body("extensions", hasItem("model_repository"));
  }
}
