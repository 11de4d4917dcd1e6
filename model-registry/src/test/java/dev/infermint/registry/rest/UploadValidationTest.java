package dev.infermint.registry.rest;

import static dev.infermint.registry.rest.Uploads.newModel;
import static dev.infermint.registry.rest.Uploads.newTenant;
import static dev.infermint.registry.rest.Uploads.upload;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

import dev.infermint.testsupport.OnnxModelBuilder;

/**
 * Uploads checked against what the workers' ONNX Runtime (1.21.1) loads: IR version, operator-set versions, operator
 * domains. Each model is built here; each refusal is a 422 problem naming what is missing, and stores nothing.
 */
@QuarkusTest
class UploadValidationTest {

  private static final String PROBLEM = "application/problem+json";

  /** y = Identity(x), x FLOAT [N, 2]. */
  private static OnnxModelBuilder identity() {
    return new OnnxModelBuilder().input("x", OnnxModelBuilder.FLOAT, "N", 2)
        .node("Identity", new String[] {"x"}, new String[] {"y"})
        .output("y", OnnxModelBuilder.FLOAT, "N", 2);
  }

  @Test
  void theNewestIrVersionAndOpsetTheWorkersLoadAreAccepted() {
    upload(newTenant(), newModel("newest"), identity().irVersion(10).opset(22).opset("ai.onnx.ml", 5).build())
        .statusCode(201).body("opset", equalTo(22));
  }

  @Test
  void aNewerIrVersionIsRefusedNamingIt() {
    String tenant = newTenant();
    String model = newModel("ir11");
    upload(tenant, model, identity().irVersion(11).build())
        .statusCode(422).contentType(PROBLEM)
        .body("code", equalTo("unsupported_opset"))
        .body("field", equalTo("file"))
        .body("opset", equalTo("ir_version"))
        .body("detail", equalTo("file: IR version 11 is newer than the workers' ONNX Runtime 1.21.1 supports "
            + "(up to 10)"));
    Callers.tenantAdmin(tenant).get("/api/v1/models/{m}", model).then().statusCode(404);
  }

  @Test
  void aNewerOpsetIsRefusedNamingTheDomainAndTheLimit() {
    String tenant = newTenant();
    String model = newModel("opset99");
    upload(tenant, model, identity().opset(99).build())
        .statusCode(422).contentType(PROBLEM)
        .body("code", equalTo("unsupported_opset"))
        .body("opset", equalTo("ai.onnx"))
        .body("version", equalTo(99))
        .body("supported", equalTo(22))
        .body("detail", equalTo("file: opset ai.onnx 99 is newer than the workers' ONNX Runtime 1.21.1 supports "
            + "(up to 22)"));
    upload(tenant, model, identity().opset(23).build())
        .statusCode(422).body("code", equalTo("unsupported_opset")).body("version", equalTo(23));
    upload(tenant, model, identity().opset("ai.onnx.ml", 6).build())
        .statusCode(422).contentType(PROBLEM)
        .body("code", equalTo("unsupported_opset"))
        .body("detail", equalTo("file: opset ai.onnx.ml 6 is newer than the workers' ONNX Runtime 1.21.1 supports "
            + "(up to 5)"));
    Callers.tenantAdmin(tenant).get("/api/v1/models/{m}", model).then().statusCode(404);
  }

  @Test
  void anOperatorOfADomainTheWorkersLackIsRefusedNamingTheOperator() {
    String tenant = newTenant();
    String model = newModel("custom-op");
    byte[] custom = new OnnxModelBuilder().opset("com.example.custom", 1)
        .input("x", OnnxModelBuilder.FLOAT, "N", 2)
        .node("com.example.custom", "MyOp", new String[] {"x"}, new String[] {"y"})
        .output("y", OnnxModelBuilder.FLOAT, "N", 2).build();
    upload(tenant, model, custom)
        .statusCode(422).contentType(PROBLEM)
        .body("code", equalTo("unsupported_operator"))
        .body("field", equalTo("file"))
        .body("operator", equalTo("MyOp"))
        .body("domain", equalTo("com.example.custom"))
        .body("detail", equalTo("file: operator MyOp of domain com.example.custom is not available in the workers' "
            + "ONNX Runtime 1.21.1, which runs the domains ai.onnx, ai.onnx.ml, com.microsoft"));
    // The same without importing the domain: still named as the operator, not as ONNX Runtime's "no opset import".
    byte[] unimported = new OnnxModelBuilder()
        .input("x", OnnxModelBuilder.FLOAT, "N", 2)
        .node("com.example.custom", "MyOp", new String[] {"x"}, new String[] {"y"})
        .output("y", OnnxModelBuilder.FLOAT, "N", 2).build();
    upload(tenant, model, unimported).statusCode(422).body("code", equalTo("unsupported_operator"))
        .body("operator", equalTo("MyOp"));
    Callers.tenantAdmin(tenant).get("/api/v1/models/{m}", model).then().statusCode(404);
  }

  @Test
  void anOperatorOfOnnxRuntimesOwnDomainIsAccepted() {
    byte[] gelu = new OnnxModelBuilder().opset("com.microsoft", 1)
        .input("x", OnnxModelBuilder.FLOAT, "N", 2)
        .node("com.microsoft", "Gelu", new String[] {"x"}, new String[] {"y"})
        .output("y", OnnxModelBuilder.FLOAT, "N", 2).build();
    upload(newTenant(), newModel("gelu"), gelu).statusCode(201);
  }

  @Test
  void aTokenizerIsParsedWhateverTheTask() {
    Callers.tenantAdmin(newTenant())
        .multiPart("file", "m.onnx", Uploads.affine(1), "application/octet-stream")
        .multiPart("task", "classification")
        .multiPart("tokenizer", "{\"model\": {}}")
        .post("/api/v1/models/{m}/versions", newModel("tok")).then()
        .statusCode(422).contentType(PROBLEM).body("field", equalTo("tokenizer"));
    Callers.tenantAdmin(newTenant())
        .multiPart("file", "m.onnx", Uploads.affine(1), "application/octet-stream")
        .multiPart("tokenizer", "tokenizer.json", Uploads.wordLevelTokenizer(), "application/json")
        .post("/api/v1/models/{m}/versions", newModel("tok")).then()
        .statusCode(201);
  }
}
