package dev.infermint.billing.license;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import com.nimbusds.jwt.JWTClaimsSet;

import dev.infermint.auth.Caller;
import dev.infermint.billing.config.LicensingConfig;
import dev.infermint.billing.license.signing.LicenseSigner;
import dev.infermint.problem.Problems;

/**
 * Issues licences, validates them, and activates machines on them (SPEC §5 "Licences", Keygen's model). Who may do
 * what is checked here, from the request's {@link Caller} or the licence key, so that every transport gets the same
 * rules: another tenant's licence answers 404, as an unknown one.
 *
 * <p>maxMachines holds under concurrency because activation locks the licence's row ({@code SELECT ... FOR UPDATE})
 * before it counts the live machines and inserts; a racing activation waits for the commit and then counts again.
 */
@ApplicationScoped
public class LicenseService {

  private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(LicenseService.class);

  /** Prefix of licence keys. */
  public static final String KEY_PREFIX = "lic_";
  /** A licence key: the prefix and 32 random bytes, base64url. */
  static final Pattern KEY = Pattern.compile("^lic_[A-Za-z0-9_-]{43}$");
  static final Pattern ENTITLEMENT = Pattern.compile("^[a-z0-9][a-z0-9:._/-]{0,127}$");
  static final Pattern PRODUCT = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$");
  static final int MAX_FINGERPRINT = 255;
  static final int MAX_NAME = 255;
  static final int MAX_ENTITLEMENTS = 100;
  static final int MAX_MACHINES = 100_000;
  /** typ of licence files. */
  public static final String LICENSE_TYPE = "license+jwt";
  /** typ of machine files. */
  public static final String MACHINE_FILE_TYPE = "machine-file+jwt";

  private static final SecureRandom RANDOM = new SecureRandom();

  @Inject
  EntityManager em;
  @Inject
  LicenseSigner signer;
  @Inject
  LicensingConfig config;

  /**
   * What to issue.
   *
   * @param tenantId the holder
   * @param product the product
   * @param maxMachines machines at once
   * @param expiresAt expiry, or null
   * @param entitlements entitlement codes
   * @param policy the policy ({@code machineFileTtl} null: the configured default)
   */
  public record NewLicense(String tenantId, String product, Integer maxMachines, Instant expiresAt,
      List<String> entitlements, LicensePolicy policy) {
  }

  /**
   * Issues a licence (platform admins only: a licence grants models).
   *
   * @param caller who asks
   * @param n what to issue
   * @return the licence, with its key (shown this once)
   */
  @Transactional
  public LicenseInfo issue(Caller caller, NewLicense n) {
    caller.requirePlatformAdmin();
    return create(n);
  }

  /**
   * Issues the licence a checkout session paid for, once: a second call for the same session (the webhook delivered
   * twice, or two events of one session) issues nothing and answers the licence issued first. The key is not
   * returned: the buyer claims one with {@link #claimPurchaseKey}.
   *
   * @param sessionId the checkout session
   * @param tenantId the buying tenant
   * @param product what it bought
   * @return the licence id, and whether this call issued it
   */
  @Transactional
  public PurchaseResult issueForPurchase(String sessionId, String tenantId, LicenseProduct product) {
    em.createNativeQuery("SELECT pg_advisory_xact_lock(hashtext(?1))").setParameter(1, "license-purchase:" + sessionId)
        .getSingleResult();
    Optional<UUID> existing = em.createNativeQuery(
        "SELECT license_id FROM {h-schema}license_purchase WHERE checkout_session_id = ?1", UUID.class)
        .setParameter(1, sessionId).getResultStream().findFirst().map(UUID.class::cast);
    if (existing.isPresent()) {
      return new PurchaseResult(existing.get(), false);
    }
    Instant expiresAt = product.duration() == null ? null
        : java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plus(java.time.Period.parse(product.duration()))
            .toInstant();
    LicenseInfo issued = create(new NewLicense(tenantId, product.id(), product.maxMachines(), expiresAt,
        product.entitlements(), new LicensePolicy(product.floating(), LicensePolicy.REVOKE_ACCESS, null, null)));
    em.createNativeQuery("INSERT INTO {h-schema}license_purchase (checkout_session_id, tenant_id, product, license_id)"
        + " VALUES (?1, ?2, ?3, ?4)").setParameter(1, sessionId).setParameter(2, tenantId)
        .setParameter(3, product.id()).setParameter(4, issued.id()).executeUpdate();
    return new PurchaseResult(issued.id(), true);
  }

  /**
   * @param licenseId the licence a purchase issued
   * @param issued whether this call issued it (false: an earlier delivery did)
   */
  public record PurchaseResult(UUID licenseId, boolean issued) {
  }

  /**
   * The buyer's one look at its purchased licence's key: a fresh key replaces the one made at issue (whose plaintext
   * nobody kept), only its hash is stored, and later claims are refused.
   *
   * @param caller the tenant's admin (or a platform admin)
   * @param tenantId the buying tenant
   * @param sessionId the checkout session
   * @return the licence with its key
   * @throws dev.infermint.problem.ProblemException 404 when the tenant made no such purchase (or it is not issued
   *     yet); 409 {@code key_already_claimed} the second time
   */
  @Transactional
  public LicenseInfo claimPurchaseKey(Caller caller, String tenantId, String sessionId) {
    caller.requireTenantAdmin(tenantId);
    @SuppressWarnings("unchecked")
    List<Object[]> rows = em.createNativeQuery("SELECT license_id, claimed_at FROM {h-schema}license_purchase"
        + " WHERE checkout_session_id = ?1 AND tenant_id = ?2 FOR UPDATE")
        .setParameter(1, sessionId).setParameter(2, tenantId).getResultList();
    if (rows.isEmpty()) {
      throw Problems.notFound("license purchase", sessionId);
    }
    if (rows.get(0)[1] != null) {
      throw Problems.of(409, "key_already_claimed", "Key already claimed", "The key of this purchase was shown "
          + "once already; a platform admin can issue a replacement");
    }
    em.createNativeQuery("UPDATE {h-schema}license_purchase SET claimed_at = now() WHERE checkout_session_id = ?1")
        .setParameter(1, sessionId).executeUpdate();
    LicenseEntity e = em.find(LicenseEntity.class, (UUID) rows.get(0)[0]);
    String key = newKey();
    e.keyHash = hash(key);
    e.keyPrefix = key.substring(0, 12);
    return info(e, key);
  }

  private static String newKey() {
    byte[] random = new byte[32];
    RANDOM.nextBytes(random);
    return KEY_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
  }

  private LicenseInfo create(NewLicense n) {
    LicensePolicy policy = n.policy() == null ? new LicensePolicy(true, LicensePolicy.REVOKE_ACCESS, null, null)
        : n.policy();
    checkNew(n, policy);
    String key = newKey();
    LicenseEntity e = new LicenseEntity();
    e.id = UUID.randomUUID();
    e.tenantId = n.tenantId();
    e.product = n.product();
    e.keyHash = hash(key);
    e.keyPrefix = key.substring(0, 12);
    e.status = "ACTIVE";
    e.maxMachines = n.maxMachines();
    e.floating = policy.floating();
    e.expirationStrategy = policy.expirationStrategy() == null ? LicensePolicy.REVOKE_ACCESS
        : policy.expirationStrategy();
    e.heartbeatSeconds = policy.heartbeat() == null ? null : (int) policy.heartbeat().toSeconds();
    e.machineFileTtlSeconds = (int) (policy.machineFileTtl() == null ? config.machineFileTtl()
        : policy.machineFileTtl()).toSeconds();
    e.entitlements = new LinkedHashSet<>(n.entitlements() == null ? List.of() : n.entitlements())
        .toArray(String[]::new);
    e.expiresAt = n.expiresAt() == null ? null : n.expiresAt().truncatedTo(ChronoUnit.SECONDS);
    e.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
    em.persist(e);
    return info(e, key);
  }

  private static void checkNew(NewLicense n, LicensePolicy policy) {
    if (n.tenantId() == null || n.tenantId().isBlank()) {
      throw Problems.validation("tenantId", "is required");
    }
    if (n.tenantId().length() > 64) {
      throw Problems.validation("tenantId", "is longer than 64 characters");
    }
    if (n.product() == null || !PRODUCT.matcher(n.product()).matches()) {
      throw Problems.validation("product", "is required: 1-128 letters, digits, '.', '_', ':' or '-'");
    }
    if (n.maxMachines() == null || n.maxMachines() < 1 || n.maxMachines() > MAX_MACHINES) {
      throw Problems.validation("maxMachines", "is required, between 1 and " + MAX_MACHINES);
    }
    if (n.expiresAt() != null && !n.expiresAt().isAfter(Instant.now())) {
      throw Problems.validation("expiresAt", "must be in the future");
    }
    List<String> entitlements = n.entitlements() == null ? List.of() : n.entitlements();
    if (entitlements.size() > MAX_ENTITLEMENTS) {
      throw Problems.validation("entitlements", "holds more than " + MAX_ENTITLEMENTS + " codes");
    }
    for (String code : entitlements) {
      if (code == null || !ENTITLEMENT.matcher(code).matches()) {
        throw Problems.validation("entitlements", "'" + code + "' is not an entitlement code (lower case, e.g. "
            + "model:minilm)");
      }
    }
    if (!policy.floating() && n.maxMachines() != 1) {
      throw Problems.validation("maxMachines", "a node-locked licence (policy.floating false) has exactly 1");
    }
    if (policy.expirationStrategy() != null && !Set.of(LicensePolicy.REVOKE_ACCESS, LicensePolicy.RESTRICT_ACCESS)
        .contains(policy.expirationStrategy())) {
      throw Problems.validation("policy.expirationStrategy", "is REVOKE_ACCESS or RESTRICT_ACCESS");
    }
    if (policy.heartbeat() != null && (policy.heartbeat().toSeconds() < 1 || policy.heartbeat().toDays() > 365)) {
      throw Problems.validation("policy.heartbeatSeconds", "is between 1 and 31536000");
    }
    if (policy.machineFileTtl() != null
        && (policy.machineFileTtl().toSeconds() < 1 || policy.machineFileTtl().toDays() > 3650)) {
      throw Problems.validation("policy.machineFileTtlSeconds", "is between 1 and 315360000");
    }
  }

  /**
   * @param caller who asks
   * @return the caller's tenant's licences, newest first; every licence for platform admins
   */
  @Transactional
  public List<LicenseInfo> list(Caller caller) {
    caller.requireAuthenticated();
    List<LicenseEntity> rows;
    if (caller.platformAdmin()) {
      rows = em.createQuery("FROM LicenseEntity ORDER BY createdAt DESC", LicenseEntity.class).getResultList();
    } else {
      caller.requireTenantRead(caller.requireOwnTenant());
      rows = em.createQuery("FROM LicenseEntity WHERE tenantId = :t ORDER BY createdAt DESC", LicenseEntity.class)
          .setParameter("t", caller.tenantId()).getResultList();
    }
    return rows.stream().map(e -> info(e, null)).toList();
  }

  /**
   * @param caller who asks
   * @param licenseKey the key from {@code Authorization: License}, or null
   * @param id the licence
   * @return the licence, its file signed now
   */
  @Transactional
  public LicenseInfo get(Caller caller, String licenseKey, UUID id) {
    return info(readable(caller, licenseKey, id), null);
  }

  /**
   * @param caller who asks
   * @param licenseKey the key from {@code Authorization: License}, or null
   * @param id the licence
   * @return its live machines, oldest first
   */
  @Transactional
  public List<MachineInfo> machines(Caller caller, String licenseKey, UUID id) {
    LicenseEntity l = readable(caller, licenseKey, id);
    return alive(l).stream().map(m -> machine(l, m)).toList();
  }

  /**
   * Answers whether a key is valid, on a machine, with entitlements (no credentials needed: the key is one).
   *
   * @param key the licence key
   * @param fingerprint a machine's fingerprint, or null
   * @param entitlements codes the caller needs, or null
   * @return the code, first failing check first: NOT_FOUND, SUSPENDED, EXPIRED, FINGERPRINT_NOT_ACTIVATED,
   *     TOO_MANY_MACHINES, ENTITLEMENTS_MISSING, else VALID
   */
  @Transactional
  public ValidationCode validate(String key, String fingerprint, List<String> entitlements) {
    checkKeyFormat("key", key);
    checkFingerprint(fingerprint, false);
    LicenseEntity l = em.createQuery("FROM LicenseEntity WHERE keyHash = :h", LicenseEntity.class)
        .setParameter("h", hash(key)).getResultStream().findFirst().orElse(null);
    if (l == null) {
      return ValidationCode.NOT_FOUND;
    }
    if ("SUSPENDED".equals(l.status)) {
      return ValidationCode.SUSPENDED;
    }
    if (expired(l)) {
      return ValidationCode.EXPIRED;
    }
    List<MachineEntity> alive = alive(l);
    if (fingerprint != null && alive.stream().noneMatch(m -> m.fingerprint.equals(fingerprint))) {
      return ValidationCode.FINGERPRINT_NOT_ACTIVATED;
    }
    if (alive.size() > l.maxMachines) {
      return ValidationCode.TOO_MANY_MACHINES;
    }
    if (!missing(l, entitlements).isEmpty()) {
      return ValidationCode.ENTITLEMENTS_MISSING;
    }
    return ValidationCode.VALID;
  }

  /**
   * Activates a machine with the licence key.
   *
   * @param licenseKey the key from {@code Authorization: License}
   * @param id the licence
   * @param fingerprint the machine's fingerprint
   * @param name a name, or null
   * @return the machine
   * @throws dev.infermint.problem.ProblemException 422 TOO_MANY_MACHINES when every seat is taken, 409
   *     FINGERPRINT_TAKEN, 403 SUSPENDED or EXPIRED
   */
  @Transactional
  public MachineInfo activate(String licenseKey, UUID id, String fingerprint, String name) {
    checkFingerprint(fingerprint, true);
    if (name != null && name.length() > MAX_NAME) {
      throw Problems.validation("name", "is longer than " + MAX_NAME + " characters");
    }
    // The row lock serialises activations of one licence: the count below sees every committed machine.
    LicenseEntity l = em.find(LicenseEntity.class, id, LockModeType.PESSIMISTIC_WRITE);
    requireKey(l, licenseKey, id);
    requireUsable(l);
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    if (l.heartbeatSeconds != null) {
      // Dead machines are culled: their seats are free, and their fingerprints may activate again.
      em.createQuery("DELETE FROM MachineEntity WHERE licenseId = :id AND lastHeartbeatAt < :cutoff")
          .setParameter("id", id).setParameter("cutoff", now.minusSeconds(l.heartbeatSeconds)).executeUpdate();
    }
    List<MachineEntity> machines = em.createQuery("FROM MachineEntity WHERE licenseId = :id", MachineEntity.class)
        .setParameter("id", id).getResultList();
    if (machines.stream().anyMatch(m -> m.fingerprint.equals(fingerprint))) {
      throw LicenseProblems.fingerprintTaken();
    }
    if (machines.size() >= l.maxMachines) {
      throw LicenseProblems.tooManyMachines(l.maxMachines);
    }
    MachineEntity m = new MachineEntity();
    m.id = UUID.randomUUID();
    m.licenseId = id;
    m.fingerprint = fingerprint;
    m.name = name;
    m.createdAt = now;
    m.lastHeartbeatAt = now;
    em.persist(m);
    return machine(l, m);
  }

  /**
   * Deactivates a machine: with the licence key (floating licences), or as an admin of the licence's tenant.
   *
   * @param caller who asks
   * @param licenseKey the key from {@code Authorization: License}, or null
   * @param id the licence
   * @param machineId the machine
   */
  @Transactional
  public void deactivate(Caller caller, String licenseKey, UUID id, UUID machineId) {
    LicenseEntity l = em.find(LicenseEntity.class, id, LockModeType.PESSIMISTIC_WRITE);
    if (licenseKey != null) {
      requireKey(l, licenseKey, id);
      if (!l.floating) {
        throw LicenseProblems.nodeLocked();
      }
    } else {
      requireTenant(caller, l, id);
      caller.requireTenantAdmin(l.tenantId);
    }
    MachineEntity m = liveMachine(l, machineId);
    em.remove(m);
  }

  /**
   * Records a machine's heartbeat with the licence key.
   *
   * @param licenseKey the key
   * @param id the licence
   * @param machineId the machine; a dead one answers 404 (activate it again)
   * @return the machine
   */
  @Transactional
  public MachineInfo heartbeat(String licenseKey, UUID id, UUID machineId) {
    LicenseEntity l = em.find(LicenseEntity.class, id);
    requireKey(l, licenseKey, id);
    MachineEntity m = liveMachine(l, machineId);
    m.lastHeartbeatAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
    return machine(l, m);
  }

  /**
   * Signs a machine file: a JWS bound to the machine's fingerprint that expires after the policy's TTL (never after
   * the licence), for machines that activate once and then run offline.
   *
   * @param licenseKey the key
   * @param id the licence
   * @param machineId the machine
   * @return the compact JWS
   */
  @Transactional
  public String machineFile(String licenseKey, UUID id, UUID machineId) {
    LicenseEntity l = em.find(LicenseEntity.class, id);
    requireKey(l, licenseKey, id);
    requireUsable(l);
    MachineEntity m = liveMachine(l, machineId);
    Instant now = Instant.now();
    Instant exp = now.plusSeconds(l.machineFileTtlSeconds);
    if (l.expiresAt != null && l.expiresAt.isBefore(exp)) {
      exp = l.expiresAt;
    }
    JWTClaimsSet claims = licenseClaims(l, now, exp).subject(m.id.toString())
        .claim("license", l.id.toString())
        .claim("fingerprint", m.fingerprint)
        .claim("machineName", m.name)
        .build();
    return signer.sign(claims, MACHINE_FILE_TYPE);
  }

  /**
   * Suspends or reinstates a licence (platform admins).
   *
   * @param caller who asks
   * @param id the licence
   * @param suspended the new state
   * @return the licence
   */
  @Transactional
  public LicenseInfo setSuspended(Caller caller, UUID id, boolean suspended) {
    caller.requirePlatformAdmin();
    LicenseEntity l = em.find(LicenseEntity.class, id);
    if (l == null) {
      throw LicenseProblems.notFound(id);
    }
    l.status = suspended ? "SUSPENDED" : "ACTIVE";
    return info(l, null);
  }

  private LicenseEntity readable(Caller caller, String licenseKey, UUID id) {
    LicenseEntity l = em.find(LicenseEntity.class, id);
    if (licenseKey != null) {
      requireKey(l, licenseKey, id);
      return l;
    }
    requireTenant(caller, l, id);
    caller.requireTenantRead(l.tenantId);
    return l;
  }

  /** 401 without credentials; 404 for an unknown licence or another tenant's. */
  private static void requireTenant(Caller caller, LicenseEntity l, UUID id) {
    caller.requireAuthenticated();
    if (l == null || !(caller.platformAdmin() || l.tenantId.equals(caller.tenantId()))) {
      throw LicenseProblems.notFound(id);
    }
  }

  /** 401 for a malformed key; 404 when the licence is unknown or the key is another licence's. */
  /**
   * Checks a licensed model download (SPEC §5): the licence key, an active and unexpired licence, an activated
   * fingerprint, and the entitlement {@code model:<name>}; records the download in the log.
   *
   * @param licenseKey the licence key from {@code Authorization: License <key>}
   * @param id the licence
   * @param fingerprint the machine's {@code X-Machine-Fingerprint}
   * @param model the model name
   * @return the licence's tenant, in whose namespace (then the public catalog) the model is resolved
   * @throws dev.infermint.problem.ProblemException 401 without a key; 404 wrong key or licence; 403
   *     {@code SUSPENDED}, {@code EXPIRED}, {@code FINGERPRINT_NOT_ACTIVATED} or {@code ENTITLEMENTS_MISSING}
   */
  @Transactional
  public String authorizeModelDownload(String licenseKey, UUID id, String fingerprint, String model) {
    LicenseEntity l = em.find(LicenseEntity.class, id);
    requireKey(l, licenseKey, id);
    requireUsable(l);
    if (fingerprint == null || fingerprint.isBlank()) {
      throw Problems.validation("X-Machine-Fingerprint", "is required: the fingerprint of a machine activated on "
          + "the licence");
    }
    checkFingerprint(fingerprint, true);
    if (alive(l).stream().noneMatch(m -> m.fingerprint.equals(fingerprint))) {
      throw Problems.of(403, "FINGERPRINT_NOT_ACTIVATED", "Fingerprint not activated",
          "No machine with this fingerprint is activated on the licence");
    }
    List<String> missing = missing(l, List.of("model:" + model));
    if (!missing.isEmpty()) {
      throw LicenseProblems.entitlementsMissing(missing);
    }
    LOG.infof("Licensed model download: licence %s, tenant %s, fingerprint %s, model %s", l.id, l.tenantId,
        fingerprint, model);
    return l.tenantId;
  }

  private static void requireKey(LicenseEntity l, String licenseKey, UUID id) {
    if (licenseKey == null || !KEY.matcher(licenseKey).matches()) {
      throw LicenseProblems.licenseKeyRequired();
    }
    if (l == null || !MessageDigest.isEqual(l.keyHash.getBytes(StandardCharsets.US_ASCII),
        hash(licenseKey).getBytes(StandardCharsets.US_ASCII))) {
      throw LicenseProblems.notFound(id);
    }
  }

  private static void requireUsable(LicenseEntity l) {
    if ("SUSPENDED".equals(l.status)) {
      throw LicenseProblems.suspended();
    }
    if (expired(l)) {
      throw LicenseProblems.expired();
    }
  }

  private MachineEntity liveMachine(LicenseEntity l, UUID machineId) {
    MachineEntity m = machineId == null ? null : em.find(MachineEntity.class, machineId);
    if (m == null || !m.licenseId.equals(l.id) || !alive(l, m, Instant.now())) {
      throw Problems.notFound("machine", String.valueOf(machineId));
    }
    return m;
  }

  private List<MachineEntity> alive(LicenseEntity l) {
    Instant now = Instant.now();
    return em.createQuery("FROM MachineEntity WHERE licenseId = :id ORDER BY createdAt", MachineEntity.class)
        .setParameter("id", l.id).getResultStream().filter(m -> alive(l, m, now)).toList();
  }

  private static boolean alive(LicenseEntity l, MachineEntity m, Instant now) {
    return l.heartbeatSeconds == null || !m.lastHeartbeatAt.plusSeconds(l.heartbeatSeconds).isBefore(now);
  }

  private static boolean expired(LicenseEntity l) {
    return l.expiresAt != null && !l.expiresAt.isAfter(Instant.now());
  }

  private static List<String> missing(LicenseEntity l, List<String> wanted) {
    if (wanted == null) {
      return List.of();
    }
    Set<String> held = Set.of(l.entitlements);
    List<String> missing = new ArrayList<>();
    for (String w : wanted) {
      if (!held.contains(w)) {
        missing.add(w);
      }
    }
    return missing;
  }

  static void checkKeyFormat(String field, String key) {
    if (key == null || key.isBlank()) {
      throw Problems.validation(field, "is required");
    }
    if (!KEY.matcher(key).matches()) {
      throw Problems.validation(field, "is not a licence key (lic_ and 43 base64url characters)");
    }
  }

  private static void checkFingerprint(String fingerprint, boolean required) {
    if (fingerprint == null || fingerprint.isBlank()) {
      if (required || fingerprint != null) {
        throw Problems.validation("fingerprint", "is required");
      }
      return;
    }
    if (fingerprint.length() > MAX_FINGERPRINT) {
      throw Problems.validation("fingerprint", "is longer than " + MAX_FINGERPRINT + " characters");
    }
  }

  private JWTClaimsSet.Builder licenseClaims(LicenseEntity l, Instant iat, Instant exp) {
    JWTClaimsSet.Builder b = new JWTClaimsSet.Builder()
        .issuer(config.issuer())
        .issueTime(Date.from(iat))
        .expirationTime(Date.from(exp))
        .jwtID(UUID.randomUUID().toString())
        .claim("tenant", l.tenantId)
        .claim("product", l.product)
        .claim("entitlements", Arrays.asList(l.entitlements))
        .claim("maxMachines", l.maxMachines)
        .claim("floating", l.floating)
        .claim("expirationStrategy", l.expirationStrategy);
    if (l.expiresAt != null) {
      b.claim("expiresAt", l.expiresAt.getEpochSecond());
    }
    if (l.heartbeatSeconds != null) {
      b.claim("heartbeatSeconds", l.heartbeatSeconds);
    }
    return b;
  }

  private LicenseInfo info(LicenseEntity l, String key) {
    Instant now = Instant.now();
    Instant exp = l.expiresAt != null ? l.expiresAt : now.plus(config.perpetualFileTtl());
    String jws = signer.sign(licenseClaims(l, now, exp).subject(l.id.toString()).build(), LICENSE_TYPE);
    String status = "SUSPENDED".equals(l.status) ? "SUSPENDED" : expired(l) ? "EXPIRED" : "ACTIVE";
    return new LicenseInfo(l.id, key, l.keyPrefix, status, l.tenantId, l.product, l.maxMachines,
        List.of(l.entitlements), l.expiresAt, policy(l), l.createdAt, jws);
  }

  private static LicensePolicy policy(LicenseEntity l) {
    return new LicensePolicy(l.floating, l.expirationStrategy,
        l.heartbeatSeconds == null ? null : Duration.ofSeconds(l.heartbeatSeconds),
        Duration.ofSeconds(l.machineFileTtlSeconds));
  }

  private static MachineInfo machine(LicenseEntity l, MachineEntity m) {
    return new MachineInfo(m.id, m.licenseId, m.fingerprint, m.name, m.createdAt, m.lastHeartbeatAt,
        l.heartbeatSeconds == null ? null : m.lastHeartbeatAt.plusSeconds(l.heartbeatSeconds));
  }

  static String hash(String key) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
