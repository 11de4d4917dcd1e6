package dev.infermint.billing.license;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A licence as the service answers it.
 *
 * @param id the licence id
 * @param key the secret key: only right after issuing, else null (only its hash is stored)
 * @param keyPrefix the key's first characters
 * @param status {@code ACTIVE}, {@code SUSPENDED} or {@code EXPIRED}
 * @param tenantId the holder
 * @param product the product
 * @param maxMachines machines at once
 * @param entitlements entitlement codes
 * @param expiresAt expiry, or null
 * @param policy the policy
 * @param createdAt when issued
 * @param license the licence file: a compact JWS (EdDSA) signed now
 */
public record LicenseInfo(UUID id, String key, String keyPrefix, String status, String tenantId, String product,
    int maxMachines, List<String> entitlements, Instant expiresAt, LicensePolicy policy, Instant createdAt,
    String license) {
}
