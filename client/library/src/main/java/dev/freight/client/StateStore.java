package dev.freight.client;

import java.io.IOException;
import java.util.List;

/**
 * Where resume state lives. {@link FileStateStore} (a JSON file per upload) is the default; an app can keep it in
 * its own database instead. {@link #save} is called after every acknowledged part and must be durable when it
 * returns (a killed process resumes from the last saved state).
 */
public interface StateStore {

    void save(UploadState state) throws IOException;

    /** The state of upload {@code fileId}, or null. */
    UploadState load(String fileId) throws IOException;

    List<UploadState> list() throws IOException;

    void delete(String fileId) throws IOException;
}
