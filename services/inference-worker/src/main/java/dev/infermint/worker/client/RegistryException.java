package dev.infermint.worker.client;

/**
 * The model registry refused the worker's request (a 4xx other than 404: a bad token, a bad parameter), or, as
 * {@link RegistryUnavailableException}, could not answer at all.
 */
public class RegistryException extends RuntimeException {

  private final int status;

  /**
   * @param status the registry's HTTP status, 0 when it could not be reached
   * @param message what happened
   * @param cause the underlying failure, may be null
   */
  public RegistryException(int status, String message, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  /** @return the registry's HTTP status, 0 when it could not be reached */
  public int status() {
    return status;
  }
}
