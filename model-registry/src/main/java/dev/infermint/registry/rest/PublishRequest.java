package dev.infermint.registry.rest;

/**
 * The body of {@code POST /api/v1/models/{model}/versions/{version}/publish}.
 *
 * @param tenantId the tenant whose model and version the path names
 * @param name the catalog model to publish it as; absent for the same name
 */
public record PublishRequest(String tenantId, String name) {
}
