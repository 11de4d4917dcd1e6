package dev.infermint.worker.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Proxy;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import dev.infermint.worker.config.WorkerConfig;

/** The session options the CPU device hands ONNX Runtime. */
class CpuInferenceDeviceTest {

  @Test
  void intraOpSpinningFollowsTheSetting() throws OrtException {
    assertEquals("1", spinning(true));
    assertEquals("0", spinning(false));
  }

  private static String spinning(boolean on) throws OrtException {
    WorkerConfig config = (WorkerConfig) Proxy.newProxyInstance(WorkerConfig.class.getClassLoader(),
        new Class<?>[] {WorkerConfig.class}, (proxy, method, args) -> switch (method.getName()) {
          case "intraOpThreads" -> Optional.of(2);
          case "intraOpSpinning" -> on;
          default -> throw new UnsupportedOperationException(method.getName());
        });
    try (OrtSession.SessionOptions options = new CpuInferenceDevice(config).sessionOptions()) {
      return options.getConfigEntries().get("session.intra_op.allow_spinning");
    }
  }
}
