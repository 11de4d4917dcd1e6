package dev.infermint.gateway.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Which workers a call goes to, from the registry's placement table. */
class ModelPlacementsTest {

  private static final String TABLE = """
      {"seq": 7, "models": [
        {"owner": "public", "name": "minilm", "servingVersion": 1, "replicas": [
          {"workerId": "a", "url": "http://a:8084", "version": 1, "state": "ready"},
          {"workerId": "b", "url": "http://b:8084", "version": 1, "state": "assigned"},
          {"workerId": "b", "url": "http://b:8084", "version": 2, "state": "ready"}]},
        {"owner": "t1", "name": "minilm", "servingVersion": 3, "replicas": [
          {"workerId": "c", "url": "http://c:8084", "version": 3, "state": "ready"}]}]}
      """;

  private static ModelPlacements placements() throws Exception {
    ModelPlacements p = new ModelPlacements();
    java.lang.reflect.Field f = ModelPlacements.class.getDeclaredField("routes");
    f.setAccessible(true);
    f.set(p, ModelPlacements.parse(new ObjectMapper().readTree(TABLE)));
    return p;
  }

  @Test
  void aCallWithoutAVersionGoesToTheServingVersionsReadyReplicasOnly() throws Exception {
    ModelPlacements p = placements();
    // During a rollout worker b has version 2 ready but not version 1: calls for the serving version skip it.
    assertEquals(List.of(URI.create("http://a:8084")), p.preferred("t2", "minilm", null));
    assertEquals(List.of(URI.create("http://a:8084")), p.preferred("t2", "minilm", "production"));
    assertEquals(List.of(URI.create("http://b:8084")), p.preferred("t2", "minilm", "2"));
  }

  @Test
  void aTenantsOwnDeployedModelShadowsTheCatalogs() throws Exception {
    assertEquals(List.of(URI.create("http://c:8084")), placements().preferred("t1", "minilm", null));
  }

  @Test
  void undeployedModelsAndOtherAliasesHaveNoPreference() throws Exception {
    ModelPlacements p = placements();
    assertEquals(List.of(), p.preferred("t2", "other", null));
    assertEquals(List.of(), p.preferred("t2", "minilm", "staging"));
    assertEquals(List.of(), p.preferred("t2", "minilm", "9"));
    assertEquals(List.of(), p.preferred("t2", null, null));
  }
}
