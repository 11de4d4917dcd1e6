package dev.infermint.billing.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of licences (SPEC §5 "Licences"), from {@code infermint.licenses.*}. */
@ConfigMapping(prefix = "infermint.licenses")
public interface LicensingConfig {

  /**
   * The Ed25519 private key that signs licences and machine files, PKCS#8 PEM (from the environment,
   * {@code INFERMINT_LICENSE_SIGNING_KEY}). Absent: billing generates one on first start and keeps it in its
   * database.
   */
  Optional<String> signingKey();

  /** The JWS {@code iss} of licences and machine files. */
  @WithDefault("infermint")
  String issuer();

  /**
   * Lifetime ({@code exp}) of the licence file of a licence without {@code expiresAt}: a perpetual licence's file is
   * fetched again (GET /api/v1/licenses/{id}) before then, as Keygen's licence files carry a TTL.
   */
  @WithDefault("P365D")
  Duration perpetualFileTtl();

  /** Default TTL of a machine file, when the licence's policy names none. */
  @WithDefault("P30D")
  Duration machineFileTtl();
}
