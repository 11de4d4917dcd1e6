package dev.infermint.registry.rest;

/**
 * An alias after it was set.
 *
 * @param name the model name
 * @param alias the alias name
 * @param version the version it points at
 */
public record AliasResponse(String name, String alias, int version) {
}
