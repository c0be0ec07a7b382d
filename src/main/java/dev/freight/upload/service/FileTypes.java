package dev.freight.upload.service;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Matches a media type against the configured allow-list ({@code video/*} wildcards, parameters ignored). */
final class FileTypes {

    private FileTypes() {
    }

    static boolean allowed(String fileType, Optional<List<String>> allowList) {
        if (allowList.isEmpty()) {
            return true;
        }
        String essence = essence(fileType);
        return allowList.get().stream().map(FileTypes::essence).anyMatch(allowed -> allowed.equals(essence)
                || allowed.endsWith("/*") && essence.startsWith(allowed.substring(0, allowed.length() - 1))
                || allowed.equals("*/*"));
    }

    private static String essence(String mediaType) {
        int parameters = mediaType.indexOf(';');
        return (parameters < 0 ? mediaType : mediaType.substring(0, parameters)).trim().toLowerCase(Locale.ROOT);
    }
}
