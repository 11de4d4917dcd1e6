package dev.infermint.billing.license;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A machine activated on a licence ({@code billing.license_machine}). */
@Entity
@Table(name = "license_machine")
public class MachineEntity extends PanacheEntityBase {

  /** The machine id. */
  @Id
  public UUID id;

  /** The licence. */
  @Column(name = "license_id", nullable = false)
  public UUID licenseId;

  /** What identifies the machine to the buyer's software (a hash of hardware ids, say). */
  @Column(nullable = false)
  public String fingerprint;

  /** A name for people. */
  public String name;

  /** When it was activated. */
  @Column(name = "created_at", nullable = false)
  public Instant createdAt;

  /** Its last heartbeat (activation counts as one). */
  @Column(name = "last_heartbeat_at", nullable = false)
  public Instant lastHeartbeatAt;
}
