package dev.freight.client;

import java.io.File;
import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;

/** A file on disk as an {@link UploadSource}. */
public final class FileSource implements UploadSource {

    private final File file;

    public FileSource(File file) {
        this.file = file.getAbsoluteFile();
    }

    /** Fails now, with a one-line reason, when {@code file} is missing, a directory or unreadable. */
    public static FileSource of(File file) throws FileNotFoundException {
        if (!file.exists()) {
            throw new FileNotFoundException(file + ": no such file");
        }
        if (file.isDirectory()) {
            throw new FileNotFoundException(file + ": is a directory");
        }
        if (!file.canRead()) {
            throw new FileNotFoundException(file + ": not readable");
        }
        return new FileSource(file);
    }

    public File file() {
        return file;
    }

    @Override
    public String name() {
        return file.getName();
    }

    @Override
    public long size() throws IOException {
        if (!file.isFile()) {
            throw new FileNotFoundException(file + ": no such file");
        }
        return file.length();
    }

    @Override
    public long lastModified() {
        long modified = file.lastModified();
        return modified == 0 ? -1 : modified;
    }

    @Override
    public InputStream openAt(long offset) throws IOException {
        FileInputStream in = new FileInputStream(file);
        try {
            in.getChannel().position(offset);
            return in;
        } catch (IOException failure) {
            in.close();
            throw failure;
        }
    }

    @Override
    public String key() {
        return file.getPath();
    }
}
