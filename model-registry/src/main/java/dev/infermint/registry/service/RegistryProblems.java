package dev.infermint.registry.service;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.infermint.problem.Problem;
import dev.infermint.problem.ProblemException;
import dev.infermint.problem.Problems;

/** Every failure the registry answers beyond the shared ones in {@link Problems}, with stable codes. */
public final class RegistryProblems {

  private RegistryProblems() {
  }

  /**
   * 422 {@code invalid_model}: the uploaded file is not an ONNX model ONNX Runtime can load.
   *
   * @param detail why, as ONNX Runtime or the header reader put it
   * @return the exception to throw
   */
  public static ProblemException invalidModel(String detail) {
    return new ProblemException(new Problem(Problem.TYPE_BASE + "invalid_model", "Invalid model", 422,
        "file: " + detail, "invalid_model", null, Map.of("field", "file")));
  }

  /**
   * 422 {@code unsupported_opset}: the file's IR version or an operator set it imports is newer than the workers'
   * ONNX Runtime supports.
   *
   * @param detail what is too new, and the highest supported
   * @param opset {@code ir_version}, or the operator-set domain
   * @param version the file's version
   * @param supported the highest the workers load
   * @return the exception to throw
   */
  public static ProblemException unsupportedOpset(String detail, String opset, long version, long supported) {
    return new ProblemException(new Problem(Problem.TYPE_BASE + "unsupported_opset", "Unsupported opset", 422,
        "file: " + detail, "unsupported_opset", null,
        Map.of("field", "file", "opset", opset, "version", version, "supported", supported)));
  }

  /**
   * 422 {@code unsupported_operator}: a node uses an operator of a domain the workers' ONNX Runtime does not run.
   *
   * @param detail which operators, and which domains are run
   * @param domain the first such operator's domain
   * @param operator its name
   * @return the exception to throw
   */
  public static ProblemException unsupportedOperator(String detail, String domain, String operator) {
    return new ProblemException(new Problem(Problem.TYPE_BASE + "unsupported_operator", "Unsupported operator", 422,
        "file: " + detail, "unsupported_operator", null,
        Map.of("field", "file", "domain", domain, "operator", operator)));
  }

  /**
   * 413 {@code payload_too_large} naming the part and its limit.
   *
   * @param field the multipart field that is too big
   * @param maxBytes the limit
   * @return the exception to throw
   */
  public static ProblemException tooLarge(String field, long maxBytes) {
    return new ProblemException(new Problem(Problem.TYPE_BASE + "payload_too_large", "Payload too large", 413,
        field + ": larger than the limit of " + maxBytes + " bytes", "payload_too_large", null,
        Map.of("field", field, "limit", maxBytes)));
  }

  /** 404 for a model the caller cannot see (missing, or another tenant's). */
  public static ProblemException modelNotFound(String name) {
    return Problems.notFound("model", name);
  }

  /** 404 for a version the model does not have. */
  public static ProblemException versionNotFound(String name, String version) {
    return Problems.notFound("model version", name + "/" + version);
  }

  /**
   * 409 {@code version_in_use}: something still points at the version, so it is not deleted.
   *
   * @param name the model name
   * @param version the version
   * @param users what points at it, by kind (e.g. {@code aliases}: their names); each kind becomes a member
   * @return the exception to throw
   */
  public static ProblemException versionInUse(String name, int version, Map<String, List<String>> users) {
    List<String> parts = new ArrayList<>();
    users.forEach((kind, names) -> parts.add(kind + " " + String.join(", ", names)));
    Map<String, Object> members = new LinkedHashMap<>(users);
    members.put("model", name);
    members.put("version", version);
    return new ProblemException(new Problem(Problem.TYPE_BASE + "version_in_use", "Version in use", 409,
        "model '" + name + "' version " + version + " is in use (" + String.join("; ", parts)
            + "): move or remove those first; nothing was deleted", "version_in_use", null, members));
  }

  /** 503 when the blob store cannot take a file; nothing was recorded. */
  public static ProblemException storageFailed() {
    return Problems.unavailable("The model file could not be stored; nothing was recorded, try again later");
  }
}
