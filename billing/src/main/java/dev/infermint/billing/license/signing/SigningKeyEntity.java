package dev.infermint.billing.license.signing;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A key that signs or signed licences ({@code billing.license_signing_key}). */
@Entity
@Table(name = "license_signing_key")
public class SigningKeyEntity extends PanacheEntityBase {

  /** Where the key came from. */
  public static final String GENERATED = "generated";
  /** Where the key came from. */
  public static final String ENVIRONMENT = "environment";

  /** RFC 7638 thumbprint. */
  @Id
  public String kid;

  /** SubjectPublicKeyInfo PEM. */
  @Column(name = "public_key", nullable = false)
  public String publicKey;

  /** PKCS#8 PEM, only for keys generated here. */
  @Column(name = "private_key")
  public String privateKey;

  /** {@link #GENERATED} or {@link #ENVIRONMENT}. */
  @Column(nullable = false)
  public String source;

  /** Whether this is the key that signs now (one at most). */
  @Column(nullable = false)
  public boolean signing;

  /** When it was first used. */
  @Column(name = "created_at", nullable = false, insertable = false, updatable = false)
  public Instant createdAt;

  /** When it stopped being listed in jwks.json, if it did. */
  @Column(name = "retired_at")
  public Instant retiredAt;
}
