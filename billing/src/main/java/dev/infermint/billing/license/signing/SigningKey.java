package dev.infermint.billing.license.signing;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.SecureRandom;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

import com.google.crypto.tink.subtle.Ed25519Sign;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;

/**
 * One Ed25519 key (RFC 8037) as a JWK, with its PEM forms. Its {@code kid} is its RFC 7638 thumbprint, so a key keeps
 * its kid wherever it comes from.
 *
 * @param jwk the key: public ({@code x}) and, when this service can sign with it, private ({@code d})
 */
public record SigningKey(OctetKeyPair jwk) {

  /** DER of an Ed25519 SubjectPublicKeyInfo (RFC 8410) before the 32 bytes of the key. */
  private static final byte[] SPKI_PREFIX = hex("302a300506032b6570032100");
  /** DER of an Ed25519 PKCS#8 PrivateKeyInfo (RFC 8410) before the 32-byte seed. */
  private static final byte[] PKCS8_PREFIX = hex("302e020100300506032b657004220420");
  private static final SecureRandom RANDOM = new SecureRandom();

  /** @return a new random key */
  public static SigningKey generate() {
    byte[] seed = new byte[32];
    RANDOM.nextBytes(seed);
    return fromSeed(seed);
  }

  /**
   * @param pem an Ed25519 private key, PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}), as {@code openssl genpkey
   *     -algorithm ed25519} writes it
   * @return the key pair
   * @throws IllegalArgumentException when it is not such a key
   */
  public static SigningKey fromPkcs8Pem(String pem) {
    byte[] der = pemBody(pem, "PRIVATE KEY");
    try {
      var key = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
      if (!(key instanceof EdECPrivateKey ed) || ed.getBytes().isEmpty()) {
        throw new IllegalArgumentException("not an Ed25519 private key");
      }
      return fromSeed(ed.getBytes().get());
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not an Ed25519 PKCS#8 private key: " + e.getMessage(), e);
    }
  }

  /**
   * @param pem an Ed25519 public key, SubjectPublicKeyInfo PEM
   * @return the key, public half only
   */
  public static SigningKey fromPublicPem(String pem) {
    byte[] der = pemBody(pem, "PUBLIC KEY");
    if (der.length != SPKI_PREFIX.length + 32
        || !Arrays.equals(Arrays.copyOf(der, SPKI_PREFIX.length), SPKI_PREFIX)) {
      throw new IllegalArgumentException("not an Ed25519 SubjectPublicKeyInfo");
    }
    return of(Arrays.copyOfRange(der, SPKI_PREFIX.length, der.length), null);
  }

  private static SigningKey fromSeed(byte[] seed) {
    try {
      return of(Ed25519Sign.KeyPair.newKeyPairFromSeed(seed).getPublicKey(), seed);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 is not available", e);
    }
  }

  private static SigningKey of(byte[] x, byte[] d) {
    OctetKeyPair.Builder builder = new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(x));
    if (d != null) {
      builder.d(Base64URL.encode(d));
    }
    OctetKeyPair unnamed = builder.build();
    try {
      String kid = unnamed.computeThumbprint().toString();
      return new SigningKey(builder.keyID(kid).keyUse(KeyUse.SIGNATURE)
          .algorithm(com.nimbusds.jose.JWSAlgorithm.EdDSA).build());
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** @return the key id (RFC 7638 thumbprint) */
  public String kid() {
    return jwk.getKeyID();
  }

  /** @return whether this service holds the private half */
  public boolean canSign() {
    return jwk.isPrivate();
  }

  /** @return the public half as a JWK */
  public OctetKeyPair publicJwk() {
    return jwk.toPublicJWK();
  }

  /** @return the public key, SubjectPublicKeyInfo PEM */
  public String publicPem() {
    return pem("PUBLIC KEY", concat(SPKI_PREFIX, jwk.getDecodedX()));
  }

  /** @return the private key, PKCS#8 PEM */
  public String privatePem() {
    if (!canSign()) {
      throw new IllegalStateException("key " + kid() + " has no private half here");
    }
    return pem("PRIVATE KEY", concat(PKCS8_PREFIX, jwk.getDecodedD()));
  }

  private static byte[] pemBody(String pem, String label) {
    if (pem == null || !pem.contains("-----BEGIN " + label + "-----")) {
      throw new IllegalArgumentException("not a PEM '" + label + "'");
    }
    String body = pem.substring(pem.indexOf("-----BEGIN " + label + "-----") + label.length() + 16);
    int end = body.indexOf("-----END " + label + "-----");
    if (end < 0) {
      throw new IllegalArgumentException("PEM '" + label + "' has no END line");
    }
    try {
      return Base64.getMimeDecoder().decode(body.substring(0, end));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("PEM '" + label + "' is not base64", e);
    }
  }

  private static String pem(String label, byte[] der) {
    return "-----BEGIN " + label + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + label + "-----\n";
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static byte[] hex(String s) {
    return java.util.HexFormat.of().parseHex(s);
  }
}
