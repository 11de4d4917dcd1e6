package dev.infermint.worker.rest;

import jakarta.ws.rs.core.Response;

import dev.infermint.problem.ProblemException;
import dev.infermint.worker.InferenceProblems;
import dev.infermint.worker.service.Deadline;
import dev.infermint.worker.service.Metered;

/**
 * The headers between the gateway and the worker: the deadline the gateway sends with an inference call, and the
 * metering headers the worker sets on every successful inference response, which the gateway turns into usage
 * events. A failed call (4xx, 5xx) carries none of the metering headers: the gateway bills it 0 units.
 */
public final class WorkerHeaders {

  /** Billable units of the call: prompt tokens for embeddings, the shared batch size for OIP inference. */
  public static final String UNITS = "X-Infermint-Units";
  /** Milliseconds the worker spent computing the answer. */
  public static final String COMPUTE_MS = "X-Infermint-Compute-Ms";
  /** The model that answered, as the registry resolved it and the gateway records it in the usage event. */
  public static final String MODEL = "X-Infermint-Model";
  /** The version of that model that ran (the alias or default resolved), for the usage event. */
  public static final String MODEL_VERSION = "X-Infermint-Model-Version";
  /**
   * Request header: the absolute time, in epoch milliseconds (UTC), by which the response must be complete. Past it
   * the worker answers 504 {@code deadline_exceeded} without running the model; absent, there is no deadline.
   */
  public static final String DEADLINE = "X-Infermint-Deadline";

  /** Epoch milliseconds have 13 digits until the year 2286; more than 15 is not a time anybody means. */
  private static final int MAX_DEADLINE_DIGITS = 15;

  private WorkerHeaders() {
  }

  /**
   * Reads {@value #DEADLINE}.
   *
   * @param value the header's value, or null when absent
   * @return the deadline, {@link Deadline#NONE} without the header
   * @throws ProblemException 400 {@code invalid_input} naming the header when it is not a number of milliseconds
   */
  static Deadline deadline(String value) {
    if (value == null) {
      return Deadline.NONE;
    }
    String v = value.strip();
    boolean digits = !v.isEmpty() && v.length() <= MAX_DEADLINE_DIGITS;
    for (int i = 0; digits && i < v.length(); i++) {
      digits = v.charAt(i) >= '0' && v.charAt(i) <= '9';
    }
    if (!digits) {
      String shown = v.length() > 40 ? v.substring(0, 40) + "..." : v;
      throw InferenceProblems.invalidHeader(DEADLINE, "must be the epoch time in milliseconds (UTC) by which the"
          + " response is due, e.g. " + (System.currentTimeMillis() + 30_000) + ", not '" + shown + "'");
    }
    return new Deadline(Long.parseLong(v));
  }

  /**
   * A 200 response with the body and its metering headers.
   *
   * @param metered the body with the model that ran, its units and compute time
   * @return the response
   */
  static Response ok(Metered<?> metered) {
    return ok(metered, metered.body()).build();
  }

  /**
   * A 200 response with its metering headers, to finish with a body of another form (binary tensor data).
   *
   * @param metered the model that ran, its units and compute time
   * @param entity the response body
   * @return the response builder
   */
  static Response.ResponseBuilder ok(Metered<?> metered, Object entity) {
    return Response.ok(entity)
        .header(UNITS, metered.units())
        .header(COMPUTE_MS, metered.computeMs())
        .header(MODEL, metered.model())
        .header(MODEL_VERSION, metered.version());
  }
}
