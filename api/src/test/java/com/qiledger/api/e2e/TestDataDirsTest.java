package com.qiledger.api.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TestDataDirsTest {

    @Test
    void aDataFolderIsDeletedWithEverythingInIt() throws Exception {
        Path dir = TestDataDirs.create("cleanup");
        Files.createDirectories(dir.resolve("pgdata/base/1"));
        Files.writeString(dir.resolve("pgdata/base/1/16384"), "x");
        Files.writeString(dir.resolve("credentials"), "password=secret");

        assertThat(TestDataDirs.delete(dir)).isTrue();
        assertThat(dir).doesNotExist();
        assertThat(TestDataDirs.delete(dir)).as("already gone").isTrue();
    }
}
