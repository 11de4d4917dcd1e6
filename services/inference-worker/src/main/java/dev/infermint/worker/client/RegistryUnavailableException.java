package dev.infermint.worker.client;

/** The registry was unreachable, timed out or failed on its side: worth retrying, and counted by the breaker. */
public class RegistryUnavailableException extends RegistryException {

  /**
   * @param status the registry's HTTP status, 0 when it could not be reached
   * @param message what happened
   * @param cause the underlying failure, may be null
   */
  public RegistryUnavailableException(int status, String message, Throwable cause) {
    super(status, message, cause);
  }
}
