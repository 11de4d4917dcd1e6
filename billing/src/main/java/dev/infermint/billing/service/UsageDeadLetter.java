package dev.infermint.billing.service;

import java.util.Map;

/**
 * A usage stream entry that cannot be billed as it is (a field missing or unreadable, an unknown schema, an entry
 * deleted before it was stored): kept with its raw fields so that someone can fix and replay it.
 *
 * @param streamKey the stream it came from
 * @param streamId its id in that stream
 * @param fields its fields as read, empty when the entry was gone
 * @param reason why it was not billed, naming the field
 */
public record UsageDeadLetter(String streamKey, String streamId, Map<String, String> fields, String reason) {
}
