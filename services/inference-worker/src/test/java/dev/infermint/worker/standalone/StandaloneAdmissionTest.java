package dev.infermint.worker.standalone;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Without an API key a standalone worker serves callers on its own machine only. */
class StandaloneAdmissionTest {

  @Test
  void onlyLoopbackAddressesAreLocal() {
    assertTrue(Standalone.loopback("127.0.0.1"));
    assertTrue(Standalone.loopback("127.3.4.5"));
    assertTrue(Standalone.loopback("::1"));
    assertFalse(Standalone.loopback("10.0.0.5"));
    assertFalse(Standalone.loopback("192.168.1.20"));
    assertFalse(Standalone.loopback("2001:db8::1"));
    assertFalse(Standalone.loopback(null));
  }
}
