package dev.infermint.registry.service;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import dev.infermint.problem.Problems;
import dev.infermint.registry.repository.DeploymentEntity;
import dev.infermint.registry.repository.ModelAliasEntity;
import dev.infermint.registry.repository.ModelEntity;
import dev.infermint.registry.repository.ModelVersionEntity;

/** Checks of names and versions, audit targets, and the records the services hand out, shared by every feature. */
final class ModelRecords {

  private static final Pattern NAME = Pattern.compile("^[a-z0-9][a-z0-9._-]{0,62}$");

  private ModelRecords() {
  }

  static String versionTarget(String name, int version) {
    return "model/" + name + "/versions/" + version;
  }

  static String aliasTarget(String name, String alias) {
    return "model/" + name + "/aliases/" + alias;
  }

  static void requireName(String name) {
    requireName(name, "model");
  }

  static void requireName(String name, String field) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw Problems.validation(field, "the name must match ^[a-z0-9][a-z0-9._-]{0,62}$ (got '" + name + "')");
    }
  }

  static int versionNumber(String name, String version) {
    if (version == null || version.isEmpty() || version.length() > 9 || !version.chars().allMatch(Character::isDigit)) {
      throw RegistryProblems.versionNotFound(name, String.valueOf(version));
    }
    return Integer.parseInt(version);
  }

  static ModelVersionInfo versionInfo(ModelEntity m, ModelVersionEntity v) {
    return new ModelVersionInfo(m.name, m.owner, v.version, v.task, v.digest, v.sizeBytes, v.inputs, v.outputs,
        v.opset, v.tokenizerDigest, v.labels, v.createdAt, v.description, sorted(v.tags));
  }

  static ModelInfo modelInfo(ModelEntity m, List<ModelVersionEntity> vs, List<ModelAliasEntity> as,
      DeploymentSettings deployment) {
    List<Integer> numbers = vs.stream().map(v -> v.version).sorted().toList();
    Map<String, Integer> aliasMap = new LinkedHashMap<>();
    as.forEach(a -> aliasMap.put(a.alias, a.version));
    return new ModelInfo(m.name, m.owner, m.task, numbers, aliasMap,
        numbers.isEmpty() ? null : numbers.get(numbers.size() - 1), m.createdAt, deployment, m.description,
        sorted(m.tags));
  }

  private static Map<String, String> sorted(Map<String, String> tags) {
    return tags == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(tags));
  }

  static DeploymentSettings deployment(DeploymentEntity d) {
    return new DeploymentSettings(d.replicas, d.device, d.maxBatchSize, d.maxQueueDelayMs, d.instances,
        d.updatedAt);
  }
}
