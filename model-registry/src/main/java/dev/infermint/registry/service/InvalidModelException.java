package dev.infermint.registry.service;

/** The uploaded file is not an ONNX model that ONNX Runtime can load; the message says why. */
public class InvalidModelException extends Exception {

  /** @param message what is wrong with the file, safe to show to the uploader */
  public InvalidModelException(String message) {
    super(message);
  }

  /**
   * @param message what is wrong with the file, safe to show to the uploader
   * @param cause the underlying failure
   */
  public InvalidModelException(String message, Throwable cause) {
    super(message, cause);
  }
}
