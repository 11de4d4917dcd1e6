package dev.infermint.registry.service;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.List;

/**
 * What an upload carries, independent of how it arrived (multipart request or the catalog on the classpath).
 *
 * @param name the model name
 * @param task the task as given, null to keep the model's (or {@code generic} for a new model)
 * @param model the ONNX file
 * @param tokenizer the tokenizer.json, null when none
 * @param labels class labels by index, null when none
 * @param fromCatalog a public-catalog entry shipped with the service: trusted, so no size limits, and nothing is
 *     stored when the model already has a version (which makes seeding idempotent)
 */
public record ModelUpload(String name, String task, Source model, Source tokenizer, List<String> labels,
    boolean fromCatalog) {

  /** Bytes that can be opened once. */
  @FunctionalInterface
  public interface Source {

    /**
     * @return the bytes; the caller closes the stream
     * @throws IOException when they cannot be read
     */
    InputStream open() throws IOException;

    /** @return the file already staged and hashed as it arrived (an HTTP upload), or null to stage {@link #open} */
    default BlobStore.StagedBlob staged() {
      return null;
    }

    /**
     * @param staged a file the HTTP receiver wrote and hashed in the store's staging folder
     * @return a source that the pipeline publishes by a rename, without reading it again to hash it
     */
    static Source of(BlobStore.StagedBlob staged) {
      return new Source() {
        @Override
        public InputStream open() throws IOException {
          return Files.newInputStream(staged.file());
        }

        @Override
        public BlobStore.StagedBlob staged() {
          return staged;
        }
      };
    }
  }
}
