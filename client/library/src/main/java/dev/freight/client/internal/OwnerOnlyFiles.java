package dev.freight.client.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Files only their owner may read or write, for resume state (it holds upload tokens, file ids and local paths):
 * on POSIX systems directories 0700 and files 0600, given at creation (no window in which they are readable by
 * others, whatever the umask). Elsewhere the platform's defaults (a Windows user profile is private already).
 */
public final class OwnerOnlyFiles {

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private OwnerOnlyFiles() {
    }

    /** Creates {@code directory} and its missing parents as 0700; existing ones are left as they are. */
    public static void createDirectories(Path directory) throws IOException {
        if (POSIX) {
            Files.createDirectories(directory, attribute("rwx------"));
        } else {
            Files.createDirectories(directory);
        }
    }

    /**
     * Writes {@code bytes} to a new file 0600, replacing a leftover of the same name (whose permissions could be
     * wider): the file is always created here, so it has the permissions asked for; with {@code sync}, on disk
     * before this returns.
     */
    public static void write(Path file, byte[] bytes, boolean sync) throws IOException {
        Files.deleteIfExists(file);
        // EnumSet, not Set.of: the library runs on Android API 26.
        Set<StandardOpenOption> options = EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try (FileChannel channel = POSIX ? FileChannel.open(file, options, attribute("rw-------"))
                : FileChannel.open(file, options)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            if (sync) {
                channel.force(true);
            }
        }
    }

    private static FileAttribute<?> attribute(String permissions) {
        return PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions));
    }
}
