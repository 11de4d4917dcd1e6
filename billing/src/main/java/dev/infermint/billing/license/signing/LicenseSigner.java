package dev.infermint.billing.license.signing;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import io.quarkus.runtime.StartupEvent;

import dev.infermint.billing.config.LicensingConfig;
import dev.infermint.problem.Problems;

/**
 * Signs licences and machine files as compact JWS, {@code alg} EdDSA (Ed25519), {@code kid} the signing key's
 * thumbprint, and publishes every key not retired. The signing key is {@code INFERMINT_LICENSE_SIGNING_KEY} when set;
 * otherwise the key generated on first start and kept in the database. Rotation (a new environment key, or
 * {@link #rotate()}) makes the new key sign and keeps the old ones in jwks.json, so licences signed before stay
 * verifiable.
 */
@ApplicationScoped
public class LicenseSigner {

  private static final Logger LOG = Logger.getLogger(LicenseSigner.class);

  @Inject
  EntityManager em;
  @Inject
  LicensingConfig config;

  private volatile SigningKey current;

  @Transactional
  void onStart(@Observes StartupEvent event) {
    current = config.signingKey().filter(s -> !s.isBlank()).map(this::useEnvironmentKey)
        .orElseGet(this::useGeneratedKey);
    LOG.infof("Licences are signed with Ed25519 key %s (%s)", current.kid(),
        config.signingKey().isPresent() ? "INFERMINT_LICENSE_SIGNING_KEY" : "generated, kept in the database");
  }

  private SigningKey useEnvironmentKey(String pem) {
    SigningKey key;
    try {
      key = SigningKey.fromPkcs8Pem(pem);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("INFERMINT_LICENSE_SIGNING_KEY: " + e.getMessage(), e);
    }
    SigningKeyEntity row = em.find(SigningKeyEntity.class, key.kid());
    if (row == null || !row.signing) {
      stopSigning();
      if (row == null) {
        row = new SigningKeyEntity();
        row.kid = key.kid();
        row.publicKey = key.publicPem();
        row.source = SigningKeyEntity.ENVIRONMENT;
      }
      row.signing = true;
      row.retiredAt = null;
      em.persist(row);
      em.flush();
    }
    return key;
  }

  private SigningKey useGeneratedKey() {
    Optional<SigningKeyEntity> signing = signingRow();
    if (signing.isPresent() && signing.get().privateKey != null) {
      return SigningKey.fromPkcs8Pem(signing.get().privateKey);
    }
    // No key yet, or the environment key signed until now and is gone: generate. Two instances starting at once
    // race on the partial unique index (one signing key); the loser uses the winner's key.
    SigningKey key = SigningKey.generate();
    stopSigning();
    int inserted = em.createNativeQuery("""
        INSERT INTO {h-schema}license_signing_key (kid, public_key, private_key, source, signing)
        VALUES (:kid, :pub, :priv, 'generated', TRUE) ON CONFLICT DO NOTHING""")
        .setParameter("kid", key.kid()).setParameter("pub", key.publicPem()).setParameter("priv", key.privatePem())
        .executeUpdate();
    if (inserted == 1) {
      return key;
    }
    return SigningKey.fromPkcs8Pem(signingRow().orElseThrow().privateKey);
  }

  private Optional<SigningKeyEntity> signingRow() {
    return em.createQuery("FROM SigningKeyEntity WHERE signing = TRUE", SigningKeyEntity.class)
        .getResultStream().findFirst();
  }

  private void stopSigning() {
    em.createQuery("UPDATE SigningKeyEntity SET signing = FALSE WHERE signing = TRUE").executeUpdate();
  }

  /**
   * Generates a new signing key; the previous one stays published for verification.
   *
   * @return the new key
   * @throws dev.infermint.problem.ProblemException 409 when the key comes from the environment (rotate it there)
   */
  @Transactional
  public SigningKey rotate() {
    if (config.signingKey().filter(s -> !s.isBlank()).isPresent()) {
      throw Problems.conflict("The signing key comes from INFERMINT_LICENSE_SIGNING_KEY; rotate it by setting a new "
          + "key there and restarting billing (the old key stays in jwks.json)");
    }
    SigningKey key = SigningKey.generate();
    stopSigning();
    SigningKeyEntity row = new SigningKeyEntity();
    row.kid = key.kid();
    row.publicKey = key.publicPem();
    row.privateKey = key.privatePem();
    row.source = SigningKeyEntity.GENERATED;
    row.signing = true;
    em.persist(row);
    em.flush();
    current = key;
    LOG.infof("Licence signing key rotated: %s signs now", key.kid());
    return key;
  }

  /**
   * @param claims the claims
   * @param type the JWS {@code typ}, e.g. {@code license+jwt}
   * @return the compact JWS, signed with the current key
   */
  public String sign(JWTClaimsSet claims, String type) {
    SigningKey key = current;
    JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.EdDSA).keyID(key.kid()).type(new JOSEObjectType(type))
        .build();
    SignedJWT jwt = new SignedJWT(header, claims);
    try {
      jwt.sign(new Ed25519Signer(key.jwk()));
    } catch (JOSEException e) {
      throw new IllegalStateException("Ed25519 signing failed", e);
    }
    return jwt.serialize();
  }

  /** @return the key that signs now */
  public SigningKey current() {
    return current;
  }

  /** @return every key not retired, public halves, the signing key first */
  @Transactional
  public JWKSet published() {
    List<SigningKeyEntity> rows = em.createQuery(
        "FROM SigningKeyEntity WHERE retiredAt IS NULL ORDER BY signing DESC, createdAt DESC", SigningKeyEntity.class)
        .getResultList();
    List<JWK> keys = rows.stream().map(r -> (JWK) SigningKey.fromPublicPem(r.publicKey).publicJwk()).toList();
    return new JWKSet(keys);
  }
}
