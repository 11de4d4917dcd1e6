package dev.infermint.worker;

import java.util.Map;

import dev.infermint.problem.Problem;
import dev.infermint.problem.ProblemException;
import dev.infermint.problem.Problems;

/**
 * Every failure the worker answers, in one place, so that the same failure always reads the same way. The generic
 * ones come from {@link Problems}; these add the member that names what is wrong ({@code tensor} or {@code field}).
 */
public final class InferenceProblems {

  private InferenceProblems() {
  }

  /**
   * 400 {@code invalid_input} about one tensor of an OIP request.
   *
   * @param tensor the tensor's name, as the caller wrote it
   * @param detail what is wrong with it; the message starts with the tensor's name
   * @return the exception to throw
   */
  public static ProblemException invalidTensor(String tensor, String detail) {
    return new ProblemException(new Problem(Problem.TYPE_BASE + "invalid_input", "Invalid input", 400,
        "tensor '" + tensor + "': " + detail, "invalid_input", null, Map.of("tensor", String.valueOf(tensor))));
  }

  /**
   * 400 {@code invalid_input} about one field of a request body.
   *
   * @param field the JSON field, e.g. {@code input} or {@code dimensions}
   * @param detail what is wrong with it
   * @return the exception to throw
   */
  public static ProblemException invalidField(String field, String detail) {
    return new ProblemException(new Problem(Problem.TYPE_BASE + "invalid_input", "Invalid input", 400,
        field + ": " + detail, "invalid_input", null, Map.of("field", field)));
  }

  /**
   * 404 {@code not_found} for a model (or one version of it) that the caller's tenant and the public catalog lack.
   *
   * @param model the model name
   * @param version the version asked for, or null for the default one
   * @return the exception to throw
   */
  public static ProblemException modelNotFound(String model, String version) {
    return version == null ? Problems.notFound("model", model)
        : Problems.of(404, "not_found", "Not found", "model '" + model + "' version '" + version + "' was not found");
  }

  /** 422 {@code model_load_failed}: ONNX Runtime cannot load the model's file; retrying will not help. */
  public static ProblemException modelLoadFailed(String model, String version, String reason) {
    return Problems.of(422, "model_load_failed", "Model cannot be loaded",
        "model '" + model + "' version '" + version + "' cannot be loaded by ONNX Runtime: " + reason);
  }

  /** 422 {@code inference_failed}: the input passed validation but ONNX Runtime refused it. */
  public static ProblemException inferenceFailed(String model, String reason) {
    return Problems.of(422, "inference_failed", "Inference failed",
        "ONNX Runtime could not run model '" + model + "' on this input: " + reason);
  }

  /** 422 {@code unsupported_model}: the model is registered, but not in a form this endpoint can use. */
  public static ProblemException unsupportedModel(String detail) {
    return Problems.of(422, "unsupported_model", "Unsupported model", detail);
  }
}
