package dev.infermint.worker.rest;

import java.util.List;

/**
 * OIP server metadata ({@code GET /v2}).
 *
 * @param name the server's name
 * @param version its version
 * @param extensions the protocol extensions it supports, as Triton names them
 */
public record ServerMetadataResponse(String name, String version, List<String> extensions) {
}
