package dev.infermint.worker.rest;

import jakarta.ws.rs.core.Response;

import dev.infermint.worker.service.Metered;

/** The metering headers the worker sets on every inference response, which the gateway turns into usage events. */
public final class WorkerHeaders {

  /** Billable units of the call: prompt tokens for embeddings, batch rows for OIP inference. */
  public static final String UNITS = "X-Infermint-Units";
  /** Milliseconds the worker spent computing the answer. */
  public static final String COMPUTE_MS = "X-Infermint-Compute-Ms";
  /** The model that answered, as the gateway records it in the usage event. */
  public static final String MODEL = "X-Infermint-Model";

  private WorkerHeaders() {
  }

  /**
   * A 200 response with the body and its metering headers.
   *
   * @param metered the body with its units and compute time
   * @return the response
   */
  static Response ok(Metered<?> metered) {
    String model = metered.body() instanceof InferResponse infer ? infer.modelName()
        : metered.body() instanceof EmbeddingsResponse emb ? emb.model() : null;
    return Response.ok(metered.body())
        .header(UNITS, metered.units())
        .header(COMPUTE_MS, metered.computeMs())
        .header(MODEL, model)
        .build();
  }
}
