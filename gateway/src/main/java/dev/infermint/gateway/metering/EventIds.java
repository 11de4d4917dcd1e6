package dev.infermint.gateway.metering;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Usage event ids: UUID version 7 (RFC 9562), 48 bits of Unix milliseconds then 74 random bits. Unique per call
 * without coordination between gateways, and ordered by time, so billing's unique index takes them in order.
 */
public final class EventIds {

  private EventIds() {
  }

  /** @return a new event id */
  public static String next() {
    return next(System.currentTimeMillis());
  }

  static String next(long epochMillis) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long msb = (epochMillis << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
    long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb).toString();
  }
}
