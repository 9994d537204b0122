package com.qiledger.api.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Webhook bodies under {@code src/test/resources/webhooks/}, byte for byte as the provider sends them. */
public final class Webhooks {

    private Webhooks() {
    }

    public static byte[] read(String path) {
        try (InputStream in = Webhooks.class.getResourceAsStream("/webhooks/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture webhooks/" + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every fixture body under {@code /webhooks}, in path order. */
    public static java.util.List<byte[]> all() {
        try {
            java.nio.file.Path root = java.nio.file.Path.of(Webhooks.class.getResource("/webhooks").toURI());
            try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(root)) {
                java.util.List<byte[]> bodies = new java.util.ArrayList<>();
                for (java.nio.file.Path file : files.filter(java.nio.file.Files::isRegularFile).sorted().toList()) {
                    bodies.add(java.nio.file.Files.readAllBytes(file));
                }
                return bodies;
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
