package dev.infermint.tenants.service;

import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;

import dev.infermint.problem.ProblemException;
import dev.infermint.problem.Problems;
import dev.infermint.tenants.client.KeycloakOrganizationClient;
import dev.infermint.tenants.config.TenantsConfig;
import dev.infermint.tenants.repository.ApiKeyEntity;
import dev.infermint.tenants.repository.ApiKeyRepository;
import dev.infermint.tenants.repository.TenantEntity;
import dev.infermint.tenants.repository.TenantRepository;
import dev.infermint.tenants.rest.ChangePlanRequest;
import dev.infermint.tenants.rest.CreateTenantRequest;
import dev.infermint.tenants.rest.TenantResponse;

/**
 * Creates, reads and runs the lifecycle of tenants. A tenant is a Keycloak organization plus a row in
 * {@code tenants.tenant} with the same id; creation writes Keycloak first (it assigns the id), then the row, and
 * deletes the organization again when the row cannot be written, so that a failure leaves neither half behind.
 *
 * <p>Lifecycle: {@code active} ⇄ {@code suspended} → {@code deleted}. Every change that gateways must hear of is
 * announced through {@link TenancyEvents} and recorded through {@link AuditService} in the transaction of the change.
 * Deleting revokes every key and marks the row first (committed, so the gateways stop the keys at once), then takes
 * the tenant roles away from the members and deletes the organization; should Keycloak fail there, repeating the
 * delete finishes the job. A deleted tenant keeps its row and its slug; callers other than platform staff see it as
 * not found, and nothing about it can change any more (409 for platform staff).
 */
@ApplicationScoped
public class TenantService {

  private static final Logger LOG = Logger.getLogger(TenantService.class);
  private static final Pattern SLUG = Pattern.compile("^[a-z][a-z0-9-]{1,38}[a-z0-9]$");
  /** The shape of a plan id; which ids exist is billing's catalog ({@link PlanCatalog}). */
  private static final Pattern PLAN_ID = Pattern.compile("^[a-z0-9][a-z0-9_-]{0,63}$");
  private static final int MAX_NAME_LENGTH = 200;
  private static final String UNIQUE_VIOLATION = "23505";

  @Inject
  TenantRepository tenants;

  @Inject
  ApiKeyRepository keys;

  @Inject
  KeycloakOrganizationClient organizations;

  @Inject
  MemberService members;

  @Inject
  AuditService audit;

  @Inject
  TenancyEvents events;

  @Inject
  PlanCatalog plans;

  @Inject
  TenantsConfig config;

  /**
   * Creates a tenant and its Keycloak organization, and announces it ({@code tenant_created}). A requested plan
   * must be in billing's plan catalog; without one the tenant gets {@code infermint.tenants.default-plan}.
   *
   * @param request the validated-here request
   * @param actor who creates it
   * @return the new tenant
   * @throws ProblemException 422 naming {@code name}, {@code slug} or {@code plan}; 409 when the slug (or the
   *     organization's name or alias in Keycloak) is taken; 503 when Keycloak cannot be used, or when a plan was
   *     requested and billing's catalog cannot be read (nothing is written then)
   */
  public TenantResponse create(CreateTenantRequest request, Actor actor) {
    if (request == null) {
      throw Problems.malformed("Request body is required: {\"name\", \"slug\", \"plan\"?}");
    }
    String name = request.name() == null ? "" : request.name().strip();
    if (name.isEmpty()) {
      throw Problems.validation("name", "is required");
    }
    if (name.length() > MAX_NAME_LENGTH) {
      throw Problems.validation("name", "must be at most " + MAX_NAME_LENGTH + " characters");
    }
    String slug = request.slug();
    if (slug == null || !SLUG.matcher(slug).matches()) {
      throw Problems.validation("slug", "must be 3 to 40 lower-case letters, digits or dashes, start with a letter "
          + "and not end with a dash");
    }
    // Checked before anything is written: an unknown plan, or billing not answering, leaves nothing behind.
    String plan = request.plan() == null ? config.defaultPlan() : plans.require(request.plan());
    if (QuarkusTransaction.requiringNew().call(() -> tenants.findBySlug(slug)).isPresent()) {
      throw slugTaken(slug);
    }

    String id = organizations.create(name, slug);
    try {
      return QuarkusTransaction.requiringNew().call(() -> {
        TenantEntity tenant = new TenantEntity();
        tenant.id = id;
        tenant.slug = slug;
        tenant.name = name;
        tenant.plan = plan;
        tenant.status = TenantEntity.ACTIVE;
        tenant.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        tenants.persistAndFlush(tenant);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("slug", slug);
        details.put("name", name);
        details.put("plan", tenant.plan);
        audit.record(actor, id, AuditAction.TENANT_CREATED, id, details);
        events.tenantCreated(id);
        return toResponse(tenant);
      });
    } catch (RuntimeException e) {
      undoOrganization(id, slug);
      if (isUniqueViolation(e)) {
        // Another request took the slug between the check and the insert.
        throw slugTaken(slug);
      }
      throw e;
    }
  }

  /** @return every tenant, deleted ones included, oldest first */
  @Transactional
  public List<TenantResponse> listAll() {
    return tenants.listOrdered().stream().map(TenantService::toResponse).toList();
  }

  /**
   * @param id the tenant id
   * @return the tenant, deleted or not, if it exists
   */
  @Transactional
  public Optional<TenantResponse> find(String id) {
    return tenants.findByIdOptional(id).map(TenantService::toResponse);
  }

  /**
   * @param id the tenant id
   * @return the tenant, if it exists and is not deleted
   */
  @Transactional
  public Optional<TenantResponse> findLive(String id) {
    return tenants.findByIdOptional(id).filter(t -> !t.deleted()).map(TenantService::toResponse);
  }

  /**
   * Every tenant, page by page, for other services' backfills (billing makes each tenant's Stripe customer).
   *
   * @param after the last id of the previous page; null for the first page
   * @param limit page size, 1 to 500
   * @return the page; {@code next} is the id to pass as {@code after}, null on the last page
   * @throws ProblemException 422 naming {@code limit} when out of range
   */
  public TenantPage page(String after, int limit) {
    if (limit < 1 || limit > 500) {
      throw Problems.validation("limit", "must be between 1 and 500");
    }
    List<TenantEntity> rows = tenants.pageById(after, limit + 1);
    boolean more = rows.size() > limit;
    List<TenantResponse> page = rows.stream().limit(limit).map(TenantService::toResponse).toList();
    return new TenantPage(page, more ? page.get(page.size() - 1).id() : null);
  }

  /**
   * A page of tenants.
   *
   * @param tenants the tenants, by id
   * @param next the {@code after} of the next page; null on the last page
   */
  public record TenantPage(List<TenantResponse> tenants, String next) {
  }

  /**
   * @param id the tenant id
   * @return the tenant, deleted or not (for other services)
   * @throws ProblemException 404 when there is none
   */
  public TenantResponse get(String id) {
    return find(id).orElseThrow(() -> Problems.notFound("tenant", id));
  }

  /**
   * @param id the tenant id, whose access the caller has already checked
   * @param actor who asks
   * @return the tenant
   * @throws ProblemException 404 when there is none, or it is deleted and the actor is not platform staff
   */
  @Transactional
  public TenantResponse get(String id, Actor actor) {
    return toResponse(readable(tenants.findByIdOptional(id), id, actor));
  }

  /**
   * Fails unless the tenant can be read by the actor: it exists, and is not deleted unless the actor is platform
   * staff.
   *
   * @param id the tenant id
   * @param actor who asks
   * @return whether the tenant is deleted (only platform staff get an answer for one)
   * @throws ProblemException 404 as described
   */
  @Transactional
  public boolean requireReadable(String id, Actor actor) {
    return readable(tenants.findByIdOptional(id), id, actor).deleted();
  }

  /**
   * Fails unless the tenant exists and can still change.
   *
   * @param id the tenant id
   * @param actor who asks
   * @throws ProblemException 404 when there is none (or it is deleted, for callers other than platform staff); 409
   *     when it is deleted
   */
  @Transactional
  public void requireWritable(String id, Actor actor) {
    writable(tenants.findByIdOptional(id), id, actor);
  }

  /**
   * Suspends a tenant: the gateway refuses its API keys with 403 {@code tenant_suspended}. Suspending a suspended
   * tenant changes nothing.
   *
   * @param id the tenant id
   * @param actor a platform admin
   * @return the tenant
   * @throws ProblemException 404 when there is none; 409 when it is deleted
   */
  @Transactional
  public TenantResponse suspend(String id, Actor actor) {
    return changeStatus(id, TenantEntity.SUSPENDED, AuditAction.TENANT_SUSPENDED, actor);
  }

  /**
   * Reactivates a suspended tenant; reactivating an active one changes nothing.
   *
   * @param id the tenant id
   * @param actor a platform admin
   * @return the tenant
   * @throws ProblemException 404 when there is none; 409 when it is deleted
   */
  @Transactional
  public TenantResponse reactivate(String id, Actor actor) {
    return changeStatus(id, TenantEntity.ACTIVE, AuditAction.TENANT_REACTIVATED, actor);
  }

  /**
   * Moves a tenant to another plan (billing calls this); the same plan changes nothing. Only the shape of the plan
   * id is checked: billing, the caller, has checked it against its own catalog, and asking billing back would make
   * each of the two services wait for the other.
   *
   * @param id the tenant id
   * @param request {@code {plan}}, validated here
   * @param actor the calling service
   * @return the tenant
   * @throws ProblemException 400 without a body; 422 naming {@code plan}; 404 when there is no such tenant; 409 when
   *     it is deleted
   */
  @Transactional
  public TenantResponse changePlan(String id, ChangePlanRequest request, Actor actor) {
    if (request == null) {
      throw Problems.malformed("Request body is required: {\"plan\"}");
    }
    String plan = request.plan();
    if (plan == null || !PLAN_ID.matcher(plan).matches()) {
      throw Problems.validation("plan", "must be a plan id: 1 to 64 lower-case letters, digits, '_' or '-', "
          + "starting with a letter or a digit");
    }
    TenantEntity tenant = writable(tenants.findByIdOptional(id), id, actor);
    if (!tenant.plan.equals(plan)) {
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("from", tenant.plan);
      details.put("to", plan);
      tenant.plan = plan;
      audit.record(actor, id, AuditAction.PLAN_CHANGED, id, details);
      events.tenantChanged(id);
    }
    return toResponse(tenant);
  }

  /**
   * Deletes a tenant: revokes its keys, marks it deleted (row, keys and audit log kept), takes the tenant roles from
   * its members and deletes its Keycloak organization. Deleting a deleted tenant only retries the Keycloak part.
   *
   * @param id the tenant id
   * @param actor a platform admin
   * @throws ProblemException 404 when there is none; 503 when Keycloak cannot be used (the tenant is deleted all
   *     the same; repeat the call to finish)
   */
  public void delete(String id, Actor actor) {
    QuarkusTransaction.requiringNew().run(() -> {
      TenantEntity tenant = tenants.findByIdOptional(id).orElseThrow(() -> Problems.notFound("tenant", id));
      if (tenant.deleted()) {
        return;
      }
      Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
      List<ApiKeyEntity> live = keys.listUnrevokedByTenant(id);
      for (ApiKeyEntity key : live) {
        key.revokedAt = now;
        events.apiKeyRevoked(key.keyHash, id);
      }
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("previousStatus", tenant.status);
      details.put("revokedKeys", live.size());
      tenant.status = TenantEntity.DELETED;
      tenant.deletedAt = now;
      audit.record(actor, id, AuditAction.TENANT_DELETED, id, details);
      events.tenantChanged(id);
    });
    members.detachAll(id);
    organizations.delete(id);
  }

  private TenantResponse changeStatus(String id, String status, AuditAction action, Actor actor) {
    TenantEntity tenant = tenants.findByIdOptional(id).orElseThrow(() -> Problems.notFound("tenant", id));
    if (tenant.deleted()) {
      throw Problems.conflict("Tenant '" + id + "' is deleted; a deleted tenant cannot be suspended or reactivated");
    }
    if (!tenant.status.equals(status)) {
      tenant.status = status;
      audit.record(actor, id, action, id, null);
      events.tenantChanged(id);
    }
    return toResponse(tenant);
  }

  /**
   * @param tenant the tenant as loaded, maybe absent
   * @param id its id
   * @param actor who asks
   * @return the tenant, when the actor may see it
   * @throws ProblemException 404 when absent, or deleted and the actor is not platform staff
   */
  static TenantEntity readable(Optional<TenantEntity> tenant, String id, Actor actor) {
    return tenant.filter(t -> actor.platformAdmin() || !t.deleted())
        .orElseThrow(() -> Problems.notFound("tenant", id));
  }

  /**
   * @param tenant the tenant as loaded, maybe absent
   * @param id its id
   * @param actor who asks
   * @return the tenant, when it may still change
   * @throws ProblemException 404 as {@link #readable}; 409 when deleted
   */
  static TenantEntity writable(Optional<TenantEntity> tenant, String id, Actor actor) {
    TenantEntity found = readable(tenant, id, actor);
    if (found.deleted()) {
      throw Problems.conflict("Tenant '" + id + "' is deleted; nothing in it can change");
    }
    return found;
  }

  static TenantResponse toResponse(TenantEntity tenant) {
    return new TenantResponse(tenant.id, tenant.slug, tenant.name, tenant.plan, tenant.status);
  }

  private void undoOrganization(String id, String slug) {
    try {
      organizations.delete(id);
    } catch (RuntimeException e) {
      // Nothing else can be done here; the orphan is named so that an operator can delete it.
      LOG.errorf(e, "Tenant '%s' was not stored and its Keycloak organization %s could not be deleted", slug, id);
    }
  }

  private static ProblemException slugTaken(String slug) {
    return Problems.conflict("A tenant with slug '" + slug + "' already exists");
  }

  private static boolean isUniqueViolation(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
        return true;
      }
    }
    return false;
  }
}
