package dev.infermint.billing.payments;

/**
 * The tenant a customer is made for.
 *
 * @param id tenant id, kept in the customer's metadata as {@code tenant_id}
 * @param slug tenant slug
 * @param name display name
 */
public record TenantRef(String id, String slug, String name) {
}
