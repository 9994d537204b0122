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
}
