package dev.infermint.registry.rest;

/**
 * Body of {@code PUT /api/v1/models/{model}/aliases/{alias}}.
 *
 * @param version the version the alias should point at
 */
public record AliasRequest(Integer version) {
}
