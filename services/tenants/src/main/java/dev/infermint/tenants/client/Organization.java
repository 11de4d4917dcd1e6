package dev.infermint.tenants.client;

/**
 * A Keycloak organization as the tenants service sees it.
 *
 * @param id the id Keycloak assigned, which is also the tenant id
 * @param name the display name (the tenant's name)
 * @param alias the alias (the tenant's slug)
 */
public record Organization(String id, String name, String alias) {
}
