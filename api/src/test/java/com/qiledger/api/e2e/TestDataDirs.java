package com.qiledger.api.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Data folders for embedded PostgreSQL in tests: under the system temp folder, which the
 * unprivileged server account can traverse even when the build runs from a private home. They are
 * deleted when the test JVM exits: a full run left about 5 GB of them in the temp folder, and
 * repeated runs filled the disk (the server then answered "No space left on device").
 */
public final class TestDataDirs {

    private static final List<Path> CREATED = new ArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(TestDataDirs::deleteAll, "test-data-dirs-cleanup"));
    }

    private TestDataDirs() {
    }

    public static Path create(String name) {
        try {
            Path dir = Files.createTempDirectory("qi-ledger-" + name + "-");
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            synchronized (CREATED) {
                CREATED.add(dir);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Deletes every folder made here. A server still stopping may write into its folder meanwhile, so
     * a folder that cannot be deleted whole is tried once more a moment later, then left as it is:
     * cleaning up never fails a build.
     */
    static void deleteAll() {
        List<Path> dirs;
        synchronized (CREATED) {
            dirs = new ArrayList<>(CREATED);
        }
        List<Path> left = dirs.stream().filter(dir -> !delete(dir)).toList();
        if (!left.isEmpty()) {
            try {
                Thread.sleep(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            left.forEach(TestDataDirs::delete);
        }
    }

    /** Whether {@code dir} is gone afterwards. */
    static boolean delete(Path dir) {
        try (Stream<Path> tree = Files.walk(dir)) {
            for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            return !Files.exists(dir);
        }
        return !Files.exists(dir);
    }
}
