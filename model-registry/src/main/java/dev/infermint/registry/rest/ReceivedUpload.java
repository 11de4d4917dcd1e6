package dev.infermint.registry.rest;

import java.util.Map;

import io.vertx.core.MultiMap;

import dev.infermint.registry.service.BlobStore;

/**
 * An upload body as {@link UploadReceiver} took it in: the file parts staged and hashed, the text fields.
 *
 * @param files the file parts by name ({@code file}, {@code tokenizer}, {@code labels}), each sent once and within its
 *     limit
 * @param text the text fields by name, each sent once
 */
record ReceivedUpload(Map<String, BlobStore.StagedBlob> files, MultiMap text) {

  /** @return the staged file of a part, or null when the part was not a file (or not sent) */
  BlobStore.StagedBlob file(String name) {
    return files.get(name);
  }

  /** @return the text of a field, or null when it was not sent as text */
  String text(String name) {
    return text.get(name);
  }
}
