package dev.infermint.tenants.rest;

/**
 * Body of {@code PUT /internal/tenants/{tenantId}/plan}, which billing calls.
 *
 * @param plan {@code free}, {@code pro} or {@code enterprise}
 */
public record ChangePlanRequest(String plan) {
}
