package dev.infermint.worker.rest;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.infermint.worker.AsGateway;
import dev.infermint.worker.LocalRegistryResource;

/** Triton's binary tensor data extension on the worker's REST endpoint, against real ONNX Runtime sessions. */
@QuarkusTest
class OipBinaryDataTest {

  private static final String A = LocalRegistryResource.TENANT_A;
  private static final String PROBLEM = "application/problem+json";
  private static final String HEADER = "Inference-Header-Content-Length";
  private static final String AFFINE = "/v2/models/affine/versions/1/infer";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A body: the JSON header and the binary parts after it. */
  private record Body(byte[] bytes, int headerLength) {
  }

  private static Body body(Object header, byte[]... parts) {
    try {
      byte[] json = JSON.writeValueAsBytes(header);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.writeBytes(json);
      for (byte[] p : parts) {
        out.writeBytes(p);
      }
      return new Body(out.toByteArray(), json.length);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ValidatableResponse send(String path, byte[] bytes, Object headerLength) {
    return AsGateway.tenant(A).contentType("application/octet-stream").header(HEADER, String.valueOf(headerLength))
        .body(bytes).post(path).then().log().ifValidationFails();
  }

  private static ValidatableResponse send(String path, Body body) {
    return send(path, body.bytes(), body.headerLength());
  }

  private static ByteBuffer le(int capacity) {
    return ByteBuffer.allocate(capacity).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static byte[] floats(float... v) {
    ByteBuffer b = le(v.length * 4);
    for (float x : v) {
      b.putFloat(x);
    }
    return b.array();
  }

  private static byte[] longs(long... v) {
    ByteBuffer b = le(v.length * 8);
    for (long x : v) {
      b.putLong(x);
    }
    return b.array();
  }

  private static byte[] strings(String... v) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String s : v) {
      byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
      out.writeBytes(le(4).putInt(utf8.length).array());
      out.writeBytes(utf8);
    }
    return out.toByteArray();
  }

  private static Map<String, Object> binaryInput(String name, List<Integer> shape, String datatype, long size) {
    return Map.of("name", name, "shape", shape, "datatype", datatype, "parameters", Map.of("binary_data_size", size));
  }

  private static Map<String, Object> jsonInput(String name, List<Integer> shape, String datatype, Object data) {
    return Map.of("name", name, "shape", shape, "datatype", datatype, "data", data);
  }

  /** The types model's five inputs, two rows each; i32 in JSON, the others binary. */
  private static Body typesBody(Map<String, Object> parameters, List<Map<String, Object>> outputs) {
    byte[] i64 = longs(9_007_199_254_740_993L, -5);
    byte[] f64 = le(16).putDouble(0.1).putDouble(-2.5).array();
    byte[] flag = {1, 0};
    byte[] text = strings("héllo", "wörld");
    Map<String, Object> header = new java.util.HashMap<>();
    header.put("id", "bin-7");
    header.put("inputs", List.of(
        binaryInput("i64", List.of(2), "INT64", i64.length),
        jsonInput("i32", List.of(2), "INT32", List.of(7, -7)),
        binaryInput("f64", List.of(2), "FP64", f64.length),
        binaryInput("flag", List.of(2), "BOOL", flag.length),
        binaryInput("text", List.of(2), "BYTES", text.length)));
    if (parameters != null) {
      header.put("parameters", parameters);
    }
    if (outputs != null) {
      header.put("outputs", outputs);
    }
    return body(header, i64, f64, flag, text);
  }

  @Test
  void binaryInputsGiveTheSameAnswerAsJson() {
    Body affine = body(Map.of("inputs", List.of(binaryInput("x", List.of(2, 3), "FP32", 24))),
        floats(1, 2, 3, 4, 5, 6));
    JsonPath json = send(AFFINE, affine).statusCode(200)
        .contentType("application/json")
        .header(HEADER, nullValue())
        .header("X-Infermint-Units", "2")
        .body("outputs[0].shape", contains(2, 3))
        .extract().jsonPath();
    assertEquals(List.of(3f, 7f, 13f, 9f, 16f, 25f), json.getList("outputs[0].data", Float.class));

    String raw = send("/v2/models/types/infer", typesBody(null, null)).statusCode(200)
        .body("id", equalTo("bin-7"))
        .body("outputs.find { it.name == 'text_out' }.data", contains("héllo", "wörld"))
        .body("outputs.find { it.name == 'flag_out' }.data", contains(true, false))
        .body("outputs.find { it.name == 'i32_out' }.data", contains(7, -7))
        .extract().asString();
    assertTrue(raw.contains("9007199254740993"), "INT64 above 2^53 is exact: " + raw);
  }

  @Test
  void outputsComeAsBinaryWhenAsked() {
    // Request-wide, with one output overriding it back to JSON.
    ExtractableResponse<Response> r = send("/v2/models/types/infer", typesBody(Map.of("binary_data_output", true),
        List.of(Map.of("name", "i64_out"), Map.of("name", "text_out", "parameters", Map.of("binary_data", false)),
            Map.of("name", "flag_out"))))
        .statusCode(200)
        .contentType("application/octet-stream")
        .header("X-Infermint-Units", "2")
        .extract();
    byte[] bytes = r.asByteArray();
    int headerLength = Integer.parseInt(r.header(HEADER));
    JsonPath header = new JsonPath(new String(bytes, 0, headerLength, StandardCharsets.UTF_8));
    assertEquals(List.of("i64_out", "text_out", "flag_out"), header.getList("outputs.name"));
    assertEquals("bin-7", header.getString("id"));
    assertEquals(16, header.getInt("outputs[0].parameters.binary_data_size"));
    assertNull(header.get("outputs[0].data"));
    assertEquals(List.of("héllo", "wörld"), header.getList("outputs[1].data"));
    assertNull(header.get("outputs[1].parameters"));
    assertEquals(2, header.getInt("outputs[2].parameters.binary_data_size"));
    byte[] rest = Arrays.copyOfRange(bytes, headerLength, bytes.length);
    assertArrayEquals(concat(longs(9_007_199_254_740_993L, -5), new byte[] {1, 0}), rest);

    // Per output, from a plain JSON request.
    Map<String, Object> json = Map.of("inputs", List.of(jsonInput("x", List.of(1, 3), "FP32", List.of(1, 2, 3))),
        "outputs", List.of(Map.of("name", "y", "parameters", Map.of("binary_data", true))));
    ExtractableResponse<Response> j = AsGateway.tenant(A).body(json).post(AFFINE).then().log().ifValidationFails()
        .statusCode(200).contentType("application/octet-stream").extract();
    int n = Integer.parseInt(j.header(HEADER));
    byte[] all = j.asByteArray();
    assertEquals(12, new JsonPath(new String(all, 0, n, StandardCharsets.UTF_8))
        .getInt("outputs[0].parameters.binary_data_size"));
    assertArrayEquals(floats(3, 7, 13), Arrays.copyOfRange(all, n, all.length));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static void assertBadHeader(ValidatableResponse r, String detail) {
    r.statusCode(400).contentType(PROBLEM)
        .body("code", equalTo("invalid_input"))
        .body("header", equalTo(HEADER))
        .body("detail", containsString(detail))
        .header("X-Infermint-Units", nullValue());
  }

  private static void assertBadTensor(ValidatableResponse r, String tensor, String detail) {
    r.statusCode(400).contentType(PROBLEM)
        .body("code", equalTo("invalid_input"))
        .body("tensor", equalTo(tensor))
        .body("detail", containsString(detail))
        .header("X-Infermint-Units", nullValue());
  }

  @Test
  void framingThatDoesNotAddUpIsA400() {
    Body ok = body(Map.of("inputs", List.of(binaryInput("x", List.of(1, 3), "FP32", 12))), floats(1, 2, 3));
    assertBadHeader(send(AFFINE, ok.bytes(), ok.bytes().length + 1), "but the body has only " + ok.bytes().length);
    assertBadHeader(send(AFFINE, ok.bytes(), "twelve"), "must be the length in bytes");
    assertBadHeader(send(AFFINE, ok.bytes(), -3), "must be the length in bytes");
    assertBadHeader(send(AFFINE, ok.bytes(), 0), "raw binary request");
    // Trailing bytes nobody claims.
    Body extra = body(Map.of("inputs", List.of(binaryInput("x", List.of(1, 3), "FP32", 12))), floats(1, 2, 3, 4));
    assertBadHeader(send(AFFINE, extra), "16 bytes after the");
    // The header cut short: its JSON is not complete.
    send(AFFINE, ok.bytes(), ok.headerLength() - 5).statusCode(400).contentType(PROBLEM)
        .body("code", equalTo("malformed_request"));
  }

  @Test
  void sizesThatDisagreeAreA400NamingTheInput() {
    Body past = body(Map.of("inputs", List.of(binaryInput("x", List.of(1, 3), "FP32", 16))), floats(1, 2, 3));
    assertBadTensor(send(AFFINE, past), "x", "binary_data_size 16 goes past the end of the body: 12 bytes");
    Body shape = body(Map.of("inputs", List.of(binaryInput("x", List.of(2, 3), "FP32", 20))), floats(1, 2, 3, 4, 5));
    assertBadTensor(send(AFFINE, shape), "x", "binary_data_size is 20 bytes, but shape [2, 3] of FP32 needs 6 × 4 = 24");
    for (Object size : List.of(-1, "12", 1.5)) {
      Body bad = body(Map.of("inputs", List.of(Map.of("name", "x", "shape", List.of(1, 3), "datatype", "FP32",
          "parameters", Map.of("binary_data_size", size)))), floats(1, 2, 3));
      assertBadTensor(send(AFFINE, bad), "x", "binary_data_size must be a non-negative integer");
    }
    Map<String, Object> both = Map.of("name", "x", "shape", List.of(1, 3), "datatype", "FP32", "data", List.of(1, 2, 3),
        "parameters", Map.of("binary_data_size", 12));
    assertBadTensor(send(AFFINE, body(Map.of("inputs", List.of(both)), floats(1, 2, 3))), "x", "both data and");
    // binary_data_size in a plain JSON body: there are no bytes to read.
    assertBadTensor(AsGateway.tenant(A).body(Map.of("inputs", List.of(both))).post(AFFINE).then(), "x",
        "no binary data");
  }

  @Test
  void badBinaryValuesAreNamed() {
    byte[] i64 = longs(1);
    Map<String, Object> i32 = jsonInput("i32", List.of(1), "INT32", List.of(1));
    Map<String, Object> f64 = jsonInput("f64", List.of(1), "FP64", List.of(1));
    Map<String, Object> flag = jsonInput("flag", List.of(1), "BOOL", List.of(true));
    Map<String, Object> text = jsonInput("text", List.of(1), "BYTES", List.of("a"));
    Map<String, Object> binI64 = binaryInput("i64", List.of(1), "INT64", 8);
    // A BOOL byte that is neither 0 nor 1.
    assertBadTensor(send("/v2/models/types/infer", body(Map.of("inputs", List.of(binI64, i32, f64,
        binaryInput("flag", List.of(1), "BOOL", 1), text)), i64, new byte[] {2})), "flag", "the byte 2");
    // A BYTES length past its data, a BYTES count that is not the shape's, and bytes that are not UTF-8.
    byte[] tooLong = le(6).putInt(9).put((byte) 'a').put((byte) 'b').array();
    assertBadTensor(send("/v2/models/types/infer", body(Map.of("inputs", List.of(binI64, i32, f64, flag,
        binaryInput("text", List.of(1), "BYTES", tooLong.length))), i64, tooLong)), "text", "says it is 9 bytes");
    byte[] two = strings("a", "b");
    assertBadTensor(send("/v2/models/types/infer", body(Map.of("inputs", List.of(binI64, i32, f64, flag,
        binaryInput("text", List.of(1), "BYTES", two.length))), i64, two)), "text", "more than the 1 BYTES");
    byte[] latin1 = concat(le(4).putInt(1).array(), new byte[] {(byte) 0xE9});
    assertBadTensor(send("/v2/models/types/infer", body(Map.of("inputs", List.of(binI64, i32, f64, flag,
        binaryInput("text", List.of(1), "BYTES", latin1.length))), i64, latin1)), "text", "not valid UTF-8");
  }

  @Test
  void aBinaryOutputFlagThatIsNotABooleanIsNamed() {
    Body ok = body(Map.of("inputs", List.of(binaryInput("x", List.of(1, 3), "FP32", 12)),
        "parameters", Map.of("binary_data_output", "yes")), floats(1, 2, 3));
    send(AFFINE, ok).statusCode(400).contentType(PROBLEM)
        .body("field", equalTo("parameters.binary_data_output"))
        .header("X-Infermint-Units", nullValue());
  }
}
