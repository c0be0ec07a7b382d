package dev.freight.client;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import dev.freight.client.internal.OwnerOnlyFiles;
import dev.freight.client.internal.UploadStateJson;


/**
 * One JSON file per upload in a directory ({@code <file_id>.json}); written to a temporary file, synced and renamed,
 * so a kill at any moment leaves either the old or the new state, never half of one. The directories it creates and
 * every file it writes are readable by their owner only ({@link OwnerOnlyFiles}): a state holds the upload's token.
 */
public final class FileStateStore implements StateStore {

    private static final String SUFFIX = ".json";
    private final File directory;

    public FileStateStore(File directory) {
        this.directory = directory;
    }

    public File directory() {
        return directory;
    }

    public File fileOf(String fileId) {
        return new File(directory, safe(fileId) + SUFFIX);
    }

    @Override
    public synchronized void save(UploadState state) throws IOException {
        if (!directory.isDirectory()) {
            try {
                OwnerOnlyFiles.createDirectories(directory.toPath());
            } catch (IOException failure) {
                throw new IOException("Cannot create the state directory " + directory + ": " + failure.getMessage(),
                        failure);
            }
        }
        File target = fileOf(state.fileId());
        File temporary = new File(directory, safe(state.fileId()) + SUFFIX + ".tmp");
        byte[] bytes = UploadStateJson.write(state);
        OwnerOnlyFiles.write(temporary.toPath(), bytes, true);
        if (!temporary.renameTo(target)) {
            throw new IOException("Cannot move the state into " + target);
        }
    }

    @Override
    public synchronized UploadState load(String fileId) throws IOException {
        File file = fileOf(fileId);
        return file.isFile() ? read(file) : null;
    }

    @Override
    public synchronized List<UploadState> list() throws IOException {
        List<UploadState> states = new ArrayList<>();
        File[] files = directory.listFiles((dir, name) -> name.endsWith(SUFFIX));
        if (files != null) {
            for (File file : files) {
                UploadState state = read(file);
                if (state != null) {
                    states.add(state);
                }
            }
        }
        return states;
    }

    @Override
    public synchronized void delete(String fileId) {
        File file = fileOf(fileId);
        if (file.exists() && !file.delete()) {
            file.deleteOnExit();
        }
    }

    private static UploadState read(File file) throws IOException {
        return UploadStateJson.read(file);
    }

    private static String safe(String fileId) {
        if (!fileId.matches("[A-Za-z0-9-]+")) {
            throw new IllegalArgumentException("Not a file id: " + fileId);
        }
        return fileId;
    }
}
