package dev.freight.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resume state holds an upload's token: only its owner may read it, from the moment it exists. */
class FileStateStoreTest {

    private static final String FILE_ID = "123e4567-e89b-42d3-a456-426614174000";

    @TempDir
    Path temp;

    @Test
    void createdDirectoriesAre0700AndEveryStateFile0600() throws Exception {
        Path stateDir = temp.resolve("home/.freight/uploads");
        FileStateStore store = new FileStateStore(stateDir.toFile());
        // A leftover of a crash, readable by everybody: the new state must not inherit that.
        Files.createDirectories(stateDir);
        Files.setPosixFilePermissions(stateDir, PosixFilePermissions.fromString("rwx------"));
        Path leftover = Files.writeString(stateDir.resolve(FILE_ID + ".json.tmp"), "{}");
        Files.setPosixFilePermissions(leftover, PosixFilePermissions.fromString("rw-rw-rw-"));

        store.save(state("secret-upload-token"));

        assertThat(permissions(stateDir.resolve(FILE_ID + ".json"))).isEqualTo("rw-------");
        assertThat(leftover).doesNotExist();
        assertThat(store.load(FILE_ID).uploadToken()).isEqualTo("secret-upload-token");

        Path existing = Files.createDirectories(temp.resolve("shared"));
        Files.setPosixFilePermissions(existing, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path fresh = existing.resolve("a/b");
        new FileStateStore(fresh.toFile()).save(state("t"));
        assertThat(permissions(fresh)).isEqualTo("rwx------");
        assertThat(permissions(fresh.getParent())).as("parents it created too").isEqualTo("rwx------");
        assertThat(permissions(fresh.resolve(FILE_ID + ".json"))).isEqualTo("rw-------");
        assertThat(permissions(existing)).as("what existed is left as it was").isEqualTo("rwxr-xr-x");
    }

    private static UploadState state(String token) {
        return new UploadState(FILE_ID, "http://127.0.0.1:1", "/tmp/file.bin", "file.bin", 10, 1, "fp", 5, 2,
                "2026-12-07T10:00:00Z", token);
    }

    private static String permissions(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
