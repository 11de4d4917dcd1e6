package dev.infermint.worker;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.infermint.problem.Problem;
import dev.infermint.problem.ProblemException;
import dev.infermint.problem.Problems;

/**
 * Every failure the worker answers, in one place, so that the same failure always reads the same way. The generic
 * ones come from {@link Problems}; these add the member that names what is wrong ({@code tensor}, {@code field} or
 * {@code header}) and the {@code Retry-After} of every 503.
 */
public final class InferenceProblems {

  /** Seconds a caller waits after a 503 of an overloaded worker: one turn of a queued call is about that long. */
  static final long RETRY_OVERLOADED_SECONDS = 1;
  /** Seconds after a 503 of an unready worker or registry: the registry client's circuit stays open 5 s. */
  static final long RETRY_UNAVAILABLE_SECONDS = 5;

  private static final String INVALID = "invalid_input";

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
    return invalid("tensor '" + tensor + "': " + detail, Map.of("tensor", String.valueOf(tensor)));
  }

  /**
   * 400 {@code invalid_input}: two inputs of an OIP request disagree on the batch size (their dimension 0), which
   * every input with a batch dimension shares and which the call is billed by.
   *
   * @param first the input that set the batch size (the earlier one in the model's signature)
   * @param firstRows its dimension 0
   * @param second the input that disagrees
   * @param secondRows its dimension 0
   * @return the exception to throw; member {@code tensor} names {@code second}, {@code tensors} both
   */
  public static ProblemException batchMismatch(String first, long firstRows, String second, long secondRows) {
    return invalid("inputs '" + first + "' and '" + second + "' disagree on the batch size (dimension 0): '" + first
        + "' has " + firstRows + ", '" + second + "' has " + secondRows
        + "; every input with a batch dimension must have the same", Map.of("tensor", second,
        "tensors", List.of(first, second)));
  }

  /**
   * 400 {@code invalid_input} about one field of a request body.
   *
   * @param field the JSON field, e.g. {@code input} or {@code dimensions}
   * @param detail what is wrong with it
   * @return the exception to throw
   */
  public static ProblemException invalidField(String field, String detail) {
    return invalid(field + ": " + detail, Map.of("field", field));
  }

  /**
   * 400 {@code invalid_input} about a request header.
   *
   * @param header the header's name, e.g. {@code X-Infermint-Deadline}
   * @param detail what is wrong with its value
   * @return the exception to throw
   */
  public static ProblemException invalidHeader(String header, String detail) {
    return invalid("header " + header + ": " + detail, Map.of("header", header));
  }

  private static ProblemException invalid(String detail, Map<String, Object> members) {
    return new ProblemException(new Problem(Problem.TYPE_BASE + INVALID, "Invalid input", 400, detail, INVALID, null,
        members));
  }

  /**
   * 504 {@code deadline_exceeded}: the caller's deadline passed before the model ran, so nothing was computed.
   *
   * @param epochMillis the deadline
   * @param stage when it was found passed, e.g. {@code on arrival}
   * @return the exception to throw
   */
  public static ProblemException deadlineExceeded(long epochMillis, String stage) {
    long late = System.currentTimeMillis() - epochMillis;
    return Problems.of(504, "deadline_exceeded", "Deadline exceeded", "the request's deadline "
        + Instant.ofEpochMilli(epochMillis) + " passed " + (late <= 0 ? "just now" : late + " ms ago") + " " + stage
        + ", before the model ran; nothing was computed");
  }

  /**
   * 503 {@code overloaded} with {@code Retry-After}: more calls wait for the device than the worker queues, or one
   * waited longer than {@code admission.max-wait}.
   *
   * @param detail which limit was hit
   * @return the exception to throw
   */
  public static ProblemException overloaded(String detail) {
    return withRetryAfter(503, "overloaded", "Worker overloaded", detail, RETRY_OVERLOADED_SECONDS);
  }

  /** 503 {@code unavailable} with {@code Retry-After}: ONNX Runtime and the device are not checked yet. */
  public static ProblemException notReady() {
    return withRetryAfter(503, "unavailable", "Service unavailable",
        "the inference worker is starting: ONNX Runtime and the device are not ready yet", RETRY_UNAVAILABLE_SECONDS);
  }

  /** 503 {@code unavailable} with {@code Retry-After}: the model registry cannot be reached or its circuit is open. */
  public static ProblemException registryUnavailable() {
    return withRetryAfter(503, "unavailable", "Service unavailable",
        "the model registry is unavailable; try again shortly", RETRY_UNAVAILABLE_SECONDS);
  }

  private static ProblemException withRetryAfter(int status, String code, String title, String detail,
      long seconds) {
    return new ProblemException(new Problem(Problem.TYPE_BASE + code, title, status, detail, code, null, Map.of()),
        Map.of("Retry-After", Long.toString(seconds)));
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

  /**
   * 422 {@code unsupported_model}: the model's input has a datatype that ONNX Runtime's Java API cannot create
   * (UINT16, UINT32, UINT64), so no request can feed it; converting to another type would not be what the model
   * takes.
   *
   * @param model the model name
   * @param tensor the input
   * @param type its datatype
   * @return the exception to throw; member {@code tensor} names the input
   */
  public static ProblemException unfeedable(String model, String tensor, Object type) {
    return new ProblemException(new Problem(Problem.TYPE_BASE + "unsupported_model", "Unsupported model", 422,
        "tensor '" + tensor + "': model '" + model + "' takes " + type + ", which ONNX Runtime's Java API (1.21)"
            + " cannot create; this worker cannot feed that input", "unsupported_model", null,
        Map.of("tensor", tensor)));
  }

  /** 422 {@code unsupported_model}: the model is registered, but not in a form this endpoint can use. */
  public static ProblemException unsupportedModel(String detail) {
    return Problems.of(422, "unsupported_model", "Unsupported model", detail);
  }

  /**
   * 507 {@code model_too_large}: the model weighs more than the worker's whole memory budget, so it can never load
   * here.
   */
  public static ProblemException modelTooLarge(String model, String version, long fileBytes, double factor,
      long weight, long budget) {
    return Problems.of(507, "model_too_large", "Model too large", "model '" + model + "' version '" + version
        + "' needs " + weight + " bytes (its " + fileBytes + "-byte file x " + factor + "), more than the worker's"
        + " whole memory budget of " + budget + " bytes (infermint.worker.memory-budget)");
  }

  /**
   * 503 {@code insufficient_memory} with {@code Retry-After}: the model would fit the budget, but the models that
   * hold the rest of it run requests now and are not evicted.
   */
  public static ProblemException insufficientMemory(String model, String version, long weight, long budget,
      long held) {
    return withRetryAfter(503, "insufficient_memory", "Insufficient memory", "model '" + model + "' version '"
        + version + "' needs " + weight + " bytes of the memory budget of " + budget + " bytes, and " + held
        + " bytes are held by models that are running requests; try again when they finish",
        RETRY_OVERLOADED_SECONDS);
  }

  /**
   * 400 {@code model_not_ready}: the model exists but is not loaded on this worker (the Open Inference Protocol
   * answers a model that is not ready with a 4xx).
   */
  public static ProblemException modelNotReady(String model, String version, String state) {
    return Problems.of(400, "model_not_ready", "Model not ready", "model '" + model + "' version '" + version
        + "' is not loaded on this worker (" + state + "); it loads on its first inference request");
  }

  /**
   * 503 {@code device_unavailable}: the model's deployment asks for a device this worker cannot use; it is not run
   * anywhere else instead.
   */
  public static ProblemException deviceUnavailable(String model, String version, String device, String reason) {
    return Problems.of(503, "device_unavailable", "Device unavailable", "model '" + model + "' version '" + version
        + "' is deployed on device '" + device + "', which this worker cannot use: " + reason
        + "; it is not run on another device instead");
  }
}
