package dev.infermint.tenants.service;

import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;

import dev.infermint.problem.ProblemException;
import dev.infermint.problem.Problems;
import dev.infermint.tenants.Plan;
import dev.infermint.tenants.client.KeycloakOrganizationClient;
import dev.infermint.tenants.repository.TenantEntity;
import dev.infermint.tenants.repository.TenantRepository;
import dev.infermint.tenants.rest.CreateTenantRequest;
import dev.infermint.tenants.rest.TenantResponse;

/**
 * Creates and reads tenants. A tenant is a Keycloak organization plus a row in {@code tenants.tenant} with the same
 * id; creation writes Keycloak first (it assigns the id), then the row, and deletes the organization again when the
 * row cannot be written, so that a failure leaves neither half behind.
 */
@ApplicationScoped
public class TenantService {

  private static final Logger LOG = Logger.getLogger(TenantService.class);
  private static final Pattern SLUG = Pattern.compile("^[a-z][a-z0-9-]{1,38}[a-z0-9]$");
  private static final int MAX_NAME_LENGTH = 200;
  private static final String UNIQUE_VIOLATION = "23505";

  @Inject
  TenantRepository tenants;

  @Inject
  KeycloakOrganizationClient organizations;

  /**
   * Creates a tenant and its Keycloak organization.
   *
   * @param request the validated-here request
   * @return the new tenant
   * @throws ProblemException 422 naming {@code name}, {@code slug} or {@code plan}; 409 when the slug (or the
   *     organization's name or alias in Keycloak) is taken; 503 when Keycloak cannot be used
   */
  public TenantResponse create(CreateTenantRequest request) {
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
    Plan plan = request.plan() == null ? Plan.FREE : Plan.fromWireName(request.plan())
        .orElseThrow(() -> Problems.validation("plan", "must be one of free, pro, enterprise"));
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
        tenant.plan = plan.wireName();
        tenant.status = TenantEntity.ACTIVE;
        tenant.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        tenants.persistAndFlush(tenant);
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

  /** @return every tenant, oldest first */
  @Transactional
  public List<TenantResponse> listAll() {
    return tenants.listOrdered().stream().map(TenantService::toResponse).toList();
  }

  /**
   * @param id the tenant id
   * @return the tenant, if it exists
   */
  @Transactional
  public Optional<TenantResponse> find(String id) {
    return tenants.findByIdOptional(id).map(TenantService::toResponse);
  }

  /**
   * @param id the tenant id
   * @return the tenant
   * @throws ProblemException 404 when there is none
   */
  public TenantResponse get(String id) {
    return find(id).orElseThrow(() -> Problems.notFound("tenant", id));
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
