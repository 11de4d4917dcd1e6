package dev.infermint.billing.payments;

import java.time.Instant;

/**
 * A verified webhook's envelope. Its object is identified, not trusted as current: handlers re-read it, so that
 * events arriving late, twice or out of order converge on the processor's state, and an event written in another
 * API version than the client's is handled the same way.
 *
 * @param id event id, processed once
 * @param type e.g. {@code customer.subscription.updated}
 * @param created when the processor created the event
 * @param apiVersion the API version the event's object was rendered in
 * @param objectId id of the event's object ({@code data.object.id}); null when it has none
 */
public record ProviderEvent(String id, String type, Instant created, String apiVersion, String objectId) {
}
