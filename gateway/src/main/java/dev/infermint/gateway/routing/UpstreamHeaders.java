package dev.infermint.gateway.routing;

/**
 * The headers a worker sets on an inference answer for metering (the worker's {@code WorkerHeaders}); the gateway
 * reads them and never passes them to the client.
 */
final class UpstreamHeaders {

  /** Billable units the worker computed from the whole request. */
  static final String UNITS = "X-Infermint-Units";
  /** Milliseconds of compute. */
  static final String COMPUTE_MS = "X-Infermint-Compute-Ms";
  /** The model that answered. */
  static final String MODEL = "X-Infermint-Model";
  /** The version that answered. */
  static final String MODEL_VERSION = "X-Infermint-Model-Version";

  private UpstreamHeaders() {
  }
}
