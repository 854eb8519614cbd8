package dev.tollgate.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin token and the demo key are readable by their owner only, including files an older version left 0644. */
class LocalFilesTest {

    @TempDir
    Path temp;

    @Test
    void aNewSecretIsOwnerOnlyInAnOwnerOnlyFolder() throws IOException {
        Path file = temp.resolve(".local-data/admin-token");

        assertThat(LocalFiles.readOrCreate(file, () -> "adm_1")).isEqualTo("adm_1");

        assertThat(permissions(file)).isEqualTo("rw-------");
        assertThat(permissions(file.getParent())).isEqualTo("rwx------");
        assertThat(LocalFiles.readOrCreate(file, () -> "adm_2")).as("kept across starts").isEqualTo("adm_1");
    }

    @Test
    void aWorldReadableSecretFromAnEarlierStartIsTightenedWhenRead() throws IOException {
        Path dir = Files.createDirectories(temp.resolve(".local-data"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path file = Files.writeString(dir.resolve("demo-key"), "sk-tg-old\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        assertThat(LocalFiles.readSecret(file)).isEqualTo("sk-tg-old");
        LocalFiles.privateDir(dir);

        assertThat(permissions(file)).isEqualTo("rw-------");
        assertThat(permissions(dir)).isEqualTo("rwx------");
    }

    @Test
    void rewritingASecretKeepsItOwnerOnly() throws IOException {
        Path file = Files.writeString(temp.resolve("demo-key"), "stale");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));

        LocalFiles.writeSecret(file, "sk-tg-new");

        assertThat(Files.readString(file)).isEqualTo("sk-tg-new");
        assertThat(permissions(file)).isEqualTo("rw-------");
    }

    private static String permissions(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
