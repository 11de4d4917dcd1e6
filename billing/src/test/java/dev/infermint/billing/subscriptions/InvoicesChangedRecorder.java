package dev.infermint.billing.subscriptions;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.infermint.billing.payments.InvoicesChanged;

/** Records every {@link InvoicesChanged} billing fires, as an invoices cache would observe it. */
@ApplicationScoped
public class InvoicesChangedRecorder {

  static final List<String> TENANTS = new CopyOnWriteArrayList<>();

  void on(@Observes InvoicesChanged event) {
    TENANTS.add(event.tenantId());
  }
}
