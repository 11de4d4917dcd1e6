package dev.infermint.billing.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Usage billing at the payment processor, from {@code infermint.usage-billing.*}: meter reports, reconciliation and
 * invoices (docs/billing.md "Stripe: usage billing, reconciliation and invoices"). Read only when the provider
 * reports to meters or lists invoices.
 */
@ConfigMapping(prefix = "infermint.usage-billing")
public interface UsageBillingConfig {

  /** @return how overage usage is reported to the meter */
  MeterReports meterReports();

  /** @return how local totals are compared with the processor's */
  Reconciliation reconciliation();

  /** @return how invoices are read */
  Invoices invoices();

  /** Meter reports: aggregation of overage events per tenant and minute, and their sender. */
  interface MeterReports {

    /** Whether this instance aggregates and sends at all (only with a provider that reports to meters). */
    @WithDefault("true")
    boolean enabled();

    /** How often overage events are aggregated and due reports sent. */
    @WithDefault("10s")
    Duration interval();

    /**
     * A minute is aggregated only once it closed this long ago, so that events still on their way (stream, linger,
     * a consumer catching up) land in its first report. Later ones go into another report for that minute.
     */
    @WithDefault("2m")
    Duration settleDelay();

    /** Most (tenant, minute) groups aggregated, and most reports sent, per round. */
    @WithDefault("500")
    int batchSize();

    /**
     * Most processor calls per second from this instance (sender and reconciliation together). Stripe allows 1,000
     * meter event calls per second per account; keep instances × this far under it.
     */
    @WithDefault("25")
    int maxCallsPerSecond();

    /** First wait after a failed attempt; doubles per attempt. */
    @WithDefault("5s")
    Duration initialBackoff();

    /** Longest wait between attempts of one report. */
    @WithDefault("15m")
    Duration maxBackoff();

    /**
     * Reports whose minute is older than this are not sent (Stripe refuses meter events older than 35 days): they
     * are marked expired, counted and logged.
     */
    @WithDefault("P35D")
    Duration maxAge();

    /** How long a sender holds a claimed report; longer than one call with stripe-java's own retries. */
    @WithDefault("2m")
    Duration claimLease();
  }

  /** Daily reconciliation of local sent totals with the meter's event summaries. */
  interface Reconciliation {

    /** Whether this instance runs it on its schedule (on demand it always runs). */
    @WithDefault("true")
    boolean enabled();

    /** How often it runs. */
    @WithDefault("24h")
    Duration interval();

    /** The first run after start. */
    @WithDefault("5m")
    Duration initialDelay();

    /** How many UTC days, today included, each run compares. */
    @WithDefault("7")
    int days();

    /**
     * Usage more recent than this is left out of the comparison (Stripe aggregates meter events asynchronously,
     * so its summaries lag what it accepted by a few minutes; a lag here keeps that from looking like drift).
     */
    @WithDefault("15m")
    Duration summaryLag();
  }

  /** Invoices read from the processor. */
  interface Invoices {

    /** How long a tenant's invoices (and upcoming invoice) are served from memory; dropped early on InvoicesChanged. */
    @WithDefault("60s")
    Duration cacheTtl();

    /** Most invoices listed, newest first. */
    @WithDefault("24")
    int limit();
  }
}
