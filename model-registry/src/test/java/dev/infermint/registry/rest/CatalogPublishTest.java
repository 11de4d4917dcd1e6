package dev.infermint.registry.rest;

import static dev.infermint.registry.rest.Uploads.affine;
import static dev.infermint.registry.rest.Uploads.newModel;
import static dev.infermint.registry.rest.Uploads.newTenant;
import static dev.infermint.registry.rest.Uploads.upload;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/**
 * A platform admin publishes a tenant's version to the public catalog: a new public version sharing the file,
 * readable by every tenant, writable by none, shadowed by a tenant's own model of the same name, and audited for the
 * tenant it came from.
 */
@QuarkusTest
class CatalogPublishTest {

  private static final String PROBLEM = "application/problem+json";

  @Test
  void aPublishedVersionIsEveryTenantsAndOutlivesTheTenantsOwn() {
    String tenant = newTenant();
    String model = newModel("private-src");
    String name = newModel("published");
    byte[] onnx = affine(61);
    String digest = "sha256:" + ModelResourceTest.sha256(onnx);
    upload(tenant, model, onnx).statusCode(201);
    Callers.tenantAdmin(tenant).contentType("application/json")
        .body(Map.of("description", "fine-tuned", "tags", Map.of("license", "apache-2.0")))
        .patch("/api/v1/models/{m}/versions/1", model).then().statusCode(200);

    Callers.platformAdmin().contentType("application/json").body(Map.of("tenantId", tenant, "name", name))
        .post("/api/v1/models/{m}/versions/1/publish", model).then()
        .statusCode(201)
        .header("Location", endsWith("/api/v1/models/" + name + "/versions/1"))
        .body("name", equalTo(name))
        .body("owner", equalTo("public"))
        .body("version", equalTo(1))
        .body("digest", equalTo(digest))
        .body("description", equalTo("fine-tuned"))
        .body("tags", equalTo(Map.of("license", "apache-2.0")));

    String other = newTenant();
    Callers.as(other, "tenant-member").get("/api/v1/models/{m}/versions/1", name).then()
        .statusCode(200).body("owner", equalTo("public")).body("digest", equalTo(digest));
    Callers.service().get("/internal/models/resolve?tenant={t}&model={m}", other, name).then()
        .statusCode(200).body("owner", equalTo("public")).body("digest", equalTo(digest));
    // The tenant's model stays private under its own name.
    Callers.tenantAdmin(other).get("/api/v1/models/{m}", model).then().statusCode(404);

    // The tenant deletes its version: the catalog's copy and the shared file stay.
    Callers.tenantAdmin(tenant).delete("/api/v1/models/{m}/versions/1", model).then().statusCode(204);
    Callers.as(other, "tenant-member").get("/api/v1/models/{m}/versions/1", name).then().statusCode(200);
    Callers.service().get("/internal/blobs/{hex}", ModelResourceTest.sha256(onnx)).then().statusCode(200);

    // Publishing again adds the next public version.
    upload(tenant, model, affine(62)).statusCode(201).body("version", equalTo(2));
    Callers.platformAdmin().contentType("application/json").body(Map.of("tenantId", tenant, "name", name))
        .post("/api/v1/models/{m}/versions/2/publish", model).then()
        .statusCode(201).body("version", equalTo(2));
    Callers.as(other, "tenant-member").get("/api/v1/models/{m}", name).then()
        .statusCode(200).body("versions", contains(1, 2)).body("owner", equalTo("public"));

    await("the publication is in the source tenant's audit log").atMost(Duration.ofSeconds(30))
        .until(() -> TenantsStandIn.received().stream().anyMatch(r -> r.answered() == 201
            && tenant.equals(r.body().get("tenantId")) && "model.version_published".equals(r.body().get("action"))));
    Map<String, Object> event = TenantsStandIn.received().stream()
        .filter(r -> "model.version_published".equals(r.body().get("action"))
            && tenant.equals(r.body().get("tenantId")))
        .findFirst().orElseThrow().body();
    assertEquals("model/" + model + "/versions/1", event.get("target"));
    assertEquals(Map.of("publicModel", name, "publicVersion", 1, "digest", digest), event.get("details"));
  }

  @Test
  void aTenantsOwnModelOfTheSameNameShadowsThePublishedOneForThatTenantOnly() {
    String source = newTenant();
    String name = newModel("shared-name");
    upload(source, name, affine(71)).statusCode(201);
    Callers.platformAdmin().contentType("application/json").body(Map.of("tenantId", source))
        .post("/api/v1/models/{m}/versions/1/publish", name).then()
        .statusCode(201).body("name", equalTo(name)).body("owner", equalTo("public"));

    String shadowing = newTenant();
    upload(shadowing, name, affine(72)).statusCode(201).body("owner", equalTo(shadowing));
    Callers.tenantAdmin(shadowing).get("/api/v1/models/{m}", name).then().body("owner", equalTo(shadowing));
    Callers.service().get("/internal/models/resolve?tenant={t}&model={m}", shadowing, name).then()
        .statusCode(200).body("owner", equalTo(shadowing));
    String bystander = newTenant();
    Callers.tenantAdmin(bystander).get("/api/v1/models/{m}", name).then().body("owner", equalTo("public"));
    Callers.service().get("/internal/models/resolve?tenant={t}&model={m}", bystander, name).then()
        .body("owner", equalTo("public"));
    // The source tenant also sees its own model first.
    Callers.tenantAdmin(source).get("/api/v1/models/{m}", name).then().body("owner", equalTo(source));
  }

  @Test
  void publishingNeedsAPlatformAdminAndAnExistingVersion() {
    String tenant = newTenant();
    String model = newModel("to-publish");
    upload(tenant, model, affine(81)).statusCode(201);
    String path = "/api/v1/models/{m}/versions/{v}/publish";

    Callers.tenantAdmin(tenant).contentType("application/json").body(Map.of("tenantId", tenant))
        .post(path, model, 1).then().statusCode(403).contentType(PROBLEM).body("code", equalTo("forbidden"));
    Callers.platformAdmin().contentType("application/json").body(Map.of())
        .post(path, model, 1).then().statusCode(422).contentType(PROBLEM).body("field", equalTo("tenantId"));
    Callers.platformAdmin().contentType("application/json").body(Map.of("tenantId", "public"))
        .post(path, model, 1).then().statusCode(422).body("field", equalTo("tenantId"));
    Callers.platformAdmin().contentType("application/json").body(Map.of("tenantId", tenant, "name", "Bad_Name"))
        .post(path, model, 1).then().statusCode(422).contentType(PROBLEM).body("field", equalTo("name"));
    Callers.platformAdmin().contentType("application/json").body(Map.of("tenantId", tenant))
        .post(path, model, 7).then().statusCode(404).contentType(PROBLEM).body("code", equalTo("not_found"));
    Callers.platformAdmin().contentType("application/json").body(Map.of("tenantId", newTenant()))
        .post(path, model, 1).then().statusCode(404).contentType(PROBLEM);
    Callers.tenantAdmin(newTenant()).get("/api/v1/models/{m}", model).then().statusCode(404);
  }
}
