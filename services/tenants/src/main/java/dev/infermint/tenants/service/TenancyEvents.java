package dev.infermint.tenants.service;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Tells the gateways, through PostgreSQL {@code NOTIFY} on channel {@value #CHANNEL}, about changes that must reach
 * them before their caches expire, and billing about new tenants. Each method runs {@code pg_notify} inside the caller's transaction (it refuses to
 * run without one): PostgreSQL delivers a notification only when that transaction commits, so a change that rolls
 * back notifies nobody, and a listener that hears of a change can already read it.
 *
 * <p>Payloads (JSON, one object per notification):
 * <ul>
 *   <li>{@code {"type":"api_key_revoked","keyHash":"<lower-case hex sha256>","tenantId":"<id>"}}</li>
 *   <li>{@code {"type":"tenant_changed","tenantId":"<id>"}} — status (suspended, reactivated, deleted) or plan</li>
 *   <li>{@code {"type":"tenant_created","tenantId":"<id>"}} — a new tenant, for billing (which creates the tenant's
 *       Stripe customer from it); gateways have nothing cached for it and ignore it</li>
 * </ul>
 */
@ApplicationScoped
public class TenancyEvents {

  /** The PostgreSQL channel gateways {@code LISTEN} on. */
  public static final String CHANNEL = "infermint_tenancy";
  /** Payload type of a revoked key. */
  public static final String API_KEY_REVOKED = "api_key_revoked";
  /** Payload type of a tenant whose status or plan changed. */
  public static final String TENANT_CHANGED = "tenant_changed";
  /** Payload type of a tenant just created. */
  public static final String TENANT_CREATED = "tenant_created";

  @Inject
  EntityManager entityManager;

  @Inject
  ObjectMapper json;

  /**
   * @param keyHash the revoked key's hash, as the gateway caches it
   * @param tenantId the key's tenant
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public void apiKeyRevoked(String keyHash, String tenantId) {
    Map<String, String> payload = new LinkedHashMap<>();
    payload.put("type", API_KEY_REVOKED);
    payload.put("keyHash", keyHash);
    payload.put("tenantId", tenantId);
    send(payload);
  }

  /** @param tenantId the tenant whose status or plan changed */
  @Transactional(Transactional.TxType.MANDATORY)
  public void tenantChanged(String tenantId) {
    Map<String, String> payload = new LinkedHashMap<>();
    payload.put("type", TENANT_CHANGED);
    payload.put("tenantId", tenantId);
    send(payload);
  }

  /** @param tenantId the tenant just created */
  @Transactional(Transactional.TxType.MANDATORY)
  public void tenantCreated(String tenantId) {
    Map<String, String> payload = new LinkedHashMap<>();
    payload.put("type", TENANT_CREATED);
    payload.put("tenantId", tenantId);
    send(payload);
  }

  private void send(Map<String, String> payload) {
    String text;
    try {
      text = json.writeValueAsString(payload);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("A map of strings always serialises", e);
    }
    // pg_notify returns void, which no JDBC type maps; select a constant over it instead.
    entityManager.createNativeQuery("select 1 from (select pg_notify(?1, ?2)) n")
        .setParameter(1, CHANNEL)
        .setParameter(2, text)
        .getSingleResult();
  }
}
