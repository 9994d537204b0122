package com.qiledger.api.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Data folders for embedded PostgreSQL in tests: under the system temp folder, which the
 * unprivileged server account can traverse even when the build runs from a private home.
 */
public final class TestDataDirs {

    private TestDataDirs() {
    }

    public static Path create(String name) {
        try {
            Path dir = Files.createTempDirectory("qi-ledger-" + name + "-");
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
