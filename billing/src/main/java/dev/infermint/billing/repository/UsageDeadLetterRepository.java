package dev.infermint.billing.repository;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepository;

/** Stores usage stream entries that could not be billed. */
@ApplicationScoped
public class UsageDeadLetterRepository implements PanacheRepository<UsageDeadLetterEntity> {

  /**
   * Inserts a dead letter unless the same stream entry is already stored (it is re-delivered when its acknowledgement
   * was lost), in the caller's transaction.
   *
   * @param e the dead letter ({@code fields} a JSON object; {@code id} and {@code receivedAt} are ignored)
   * @return true when inserted
   */
  public boolean insertIfAbsent(UsageDeadLetterEntity e) {
    return getEntityManager().createNativeQuery("""
        INSERT INTO {h-schema}usage_dead_letter (stream_key, stream_id, fields, reason)
        VALUES (:streamKey, :streamId, CAST(:fields AS JSONB), :reason)
        ON CONFLICT (stream_key, stream_id) DO NOTHING""")
        .setParameter("streamKey", e.streamKey)
        .setParameter("streamId", e.streamId)
        .setParameter("fields", e.fields)
        .setParameter("reason", e.reason)
        .executeUpdate() == 1;
  }
}
