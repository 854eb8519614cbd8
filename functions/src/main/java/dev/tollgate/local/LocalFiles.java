package dev.tollgate.local;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The local server's data folder ({@code .local-data/}: DynamoDB Local's files with every key hash and balance, the
 * admin token, the demo key) is readable by its owner only: the folder 0700, the secret files 0600. Files an older
 * version wrote world-readable are tightened at the next start. On a file system without POSIX permissions
 * (Windows) the files are written as they are.
 */
final class LocalFiles {

    static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private LocalFiles() {
    }

    /** Creates the folder (and its parents) if needed and makes it the owner's only. */
    static Path privateDir(Path dir) throws IOException {
        if (POSIX && !Files.exists(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_DIR));
        } else {
            Files.createDirectories(dir);
        }
        restrict(dir, OWNER_DIR);
        return dir;
    }

    /** The file's content, stripped; the file is created with {@code create}'s value first if it is missing. */
    static String readOrCreate(Path file, Supplier<String> create) throws IOException {
        if (Files.exists(file)) {
            return readSecret(file);
        }
        String value = create.get();
        writeSecret(file, value);
        return value;
    }

    /** A secret file's content, stripped; the file is made the owner's only first. */
    static String readSecret(Path file) throws IOException {
        restrict(file, OWNER_FILE);
        return Files.readString(file).strip();
    }

    /** Writes a secret into a file that only its owner can read, from its very first byte. */
    static void writeSecret(Path file, String value) throws IOException {
        privateDir(file.toAbsolutePath().getParent());
        if (POSIX && !Files.exists(file)) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_FILE));
        }
        restrict(file, OWNER_FILE);
        Files.writeString(file, value);
    }

    private static void restrict(Path path, Set<PosixFilePermission> permissions) throws IOException {
        if (POSIX && !Files.getPosixFilePermissions(path).equals(permissions)) {
            Files.setPosixFilePermissions(path, permissions);
        }
    }
}
