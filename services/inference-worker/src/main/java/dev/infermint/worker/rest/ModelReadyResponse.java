package dev.infermint.worker.rest;

/**
 * OIP model readiness ({@code GET /v2/models/{model}[/versions/{version}]/ready}), answered with 200 once the model
 * is loaded.
 *
 * @param name the model name
 * @param version the version that is ready
 * @param ready always true (a model that cannot load answers a problem instead)
 */
public record ModelReadyResponse(String name, String version, boolean ready) {
}
