package dev.infermint.billing.invoices;

import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestPath;

import dev.infermint.auth.Caller;
import dev.infermint.billing.payments.InvoiceView;

/**
 * {@code GET /api/v1/tenants/{tenantId}/invoices}: the processor's invoices and the upcoming one, or, with payment
 * sync off, billing's preview of the current month ({@code paymentSync: false}). Tenant-admin/-member of the tenant,
 * its admin-scope keys, platform-admin; another tenant 404, an inference key 403, no credentials 401.
 */
@Path("/api/v1/tenants/{tenantId}/invoices")
@Produces(MediaType.APPLICATION_JSON)
public class InvoiceResource {

  /**
   * The answer.
   *
   * @param paymentSync whether invoices come from a payment processor
   * @param provider the payment provider's id ({@code stripe}, {@code none})
   * @param invoices the processor's invoices, newest first
   * @param upcoming the next invoice, or null
   */
  public record InvoiceList(boolean paymentSync, String provider, List<Invoice> invoices, Invoice upcoming) {
  }

  /**
   * One invoice; amounts in the currency's smallest unit (cents).
   *
   * @param id the processor's id; null for an upcoming invoice
   * @param number invoice number; null before finalization
   * @param status {@code draft}, {@code open}, {@code paid}, {@code uncollectible}, {@code void} or {@code upcoming}
   * @param currency ISO 4217, lower case
   * @param total total
   * @param amountDue still to pay
   * @param periodStart start of the period billed
   * @param periodEnd end of the period billed
   * @param hostedUrl the processor's page for it; null for previews
   * @param lines its lines
   */
  public record Invoice(String id, String number, String status, String currency, long total, long amountDue,
      Instant periodStart, Instant periodEnd, String hostedUrl, List<Line> lines) {
  }

  /**
   * @param description what is billed
   * @param quantity how many; null when not counted
   * @param amount the line's amount, cents
   */
  public record Line(String description, Long quantity, long amount) {
  }

  @Inject
  Caller caller;
  @Inject
  InvoiceService invoices;

  /**
   * @param tenantId the tenant
   * @return its invoices
   */
  @GET
  public InvoiceList list(@RestPath String tenantId) {
    caller.requireTenantRead(tenantId);
    TenantInvoices found = invoices.invoices(tenantId);
    return new InvoiceList(found.paymentSync(), found.provider(),
        found.invoices().stream().map(InvoiceResource::view).toList(),
        found.upcoming() == null ? null : view(found.upcoming()));
  }

  private static Invoice view(InvoiceView v) {
    return new Invoice(v.id(), v.number(), v.status(), v.currency(), v.total(), v.amountDue(), v.periodStart(),
        v.periodEnd(), v.hostedUrl(), v.lines().stream().map(l -> new Line(l.description(), l.quantity(),
            l.amount())).toList());
  }
}
