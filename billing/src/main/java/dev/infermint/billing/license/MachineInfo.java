package dev.infermint.billing.license;

import java.time.Instant;
import java.util.UUID;

/**
 * A machine activated on a licence.
 *
 * @param id the machine id
 * @param licenseId the licence
 * @param fingerprint the fingerprint
 * @param name its name, or null
 * @param createdAt when activated
 * @param lastHeartbeatAt its last heartbeat
 * @param heartbeatDeadline when it is dead without another heartbeat; null when the policy needs none
 */
public record MachineInfo(UUID id, UUID licenseId, String fingerprint, String name, Instant createdAt,
    Instant lastHeartbeatAt, Instant heartbeatDeadline) {
}
