package dev.infermint.gateway.routing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** One OpenAPI document of the whole public surface at {@code /q/openapi}, with Swagger UI (issue #7 item 5). */
@QuarkusTest
class OpenApiTest {

  @Test
  void theDocumentMergesThePublicPathsOfEveryServiceAndNothingInternal() {
    given().get("/q/openapi").then().statusCode(200).contentType("application/json")
        .body("openapi", equalTo("3.1.0"))
        .body("paths", hasKey("/v1/embeddings"))
        .body("paths", hasKey("/v2/models/{model}/infer"))
        .body("paths", hasKey("/v2/health/live"))
        .body("paths", hasKey("/api/v1/tenants/{tenantId}/quota"))
        .body("paths", hasKey("/api/v1/tenants"))
        .body("paths", not(hasKey("/internal/api-keys/{hash}")))
        .body("paths", not(hasKey("/v2/repository/index")))
        .body("components.schemas.InferRequest", notNullValue())
        // Two meanings of "Problem": the service's is renamed and its references follow.
        .body("components.schemas.Problem.type", equalTo("object"))
        .body("paths.'/api/v1/tenants'.get.responses.'200'.content.'application/json'.schema.'$ref'",
            containsString("Problem"))
        .body("paths.'/api/v1/tenants'.get.responses.'200'.content.'application/json'.schema.'$ref'",
            not(equalTo("#/components/schemas/Problem")));
  }

  @Test
  void swaggerUiIsServed() {
    given().get("/q/swagger-ui/").then().statusCode(200).body(containsString("swagger"));
  }
}
