package dev.infermint.worker.metrics;

import jakarta.enterprise.context.RequestScoped;

import dev.infermint.worker.service.ResolvedModel;

/** The model version one inference request was resolved to, for the request metrics of its answer. */
@RequestScoped
public class InferenceCall {

  private volatile ResolvedModel model;

  /** @param resolved the model version the request asked for */
  public void resolved(ResolvedModel resolved) {
    this.model = resolved;
  }

  /** @return the model version, or null when none was resolved */
  public ResolvedModel model() {
    return model;
  }
}
