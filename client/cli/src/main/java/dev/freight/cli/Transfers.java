package dev.freight.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.function.BiFunction;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.freight.client.FileSource;
import dev.freight.client.FreightException;
import dev.freight.client.UploadOptions;
import dev.freight.client.UploadResult;
import dev.freight.client.UploadTask;

/** Runs uploads (new or resumed) one file after another with progress, Ctrl-C handling and a result report. */
final class Transfers {

    static final ObjectMapper JSON = new ObjectMapper();

    private Transfers() {
    }

    static int uploadAll(List<FileSource> sources, UploadOptions options,
            BiFunction<FileSource, UploadOptions, UploadTask> start, boolean json, boolean quiet, PrintWriter out,
            PrintWriter err, String verb) {
        Interrupts.install();
        long total = 0;
        for (FileSource source : sources) {
            total += source.file().length();
        }
        long before = 0;
        int exit = ExitCode.OK;
        ArrayNode results = JSON.createArrayNode();
        ProgressView.Mode mode = ProgressView.defaultMode(quiet);
        for (int index = 0; index < sources.size(); index++) {
            FileSource source = sources.get(index);
            String position = sources.size() > 1 ? "file " + (index + 1) + "/" + sources.size() + "," : "";
            ObjectNode entry = results.addObject();
            entry.put("file", source.file().getPath());
            UploadTask task = null;
            try (ProgressView view = new ProgressView(mode, err, verb, source.name(), total, before, position)) {
                task = start.apply(source, copy(options).listener(view));
                UploadTask running = task;
                Interrupts.onInterrupt(running::cancel);
                UploadResult result = task.await();
                view.close();
                entry.put("file_id", result.fileId());
                entry.put("upload_status", result.upload().uploadStatus());
                entry.put("size", result.upload().fileSize());
                entry.put("part_count", result.upload().partCount());
                entry.put("parts_sent", result.partsSent());
                entry.put("bytes_sent", result.bytesSent());
                entry.put("resumed", result.resumed());
                entry.put("etag", result.upload().etag());
                entry.put("object_checksum_sha256", result.upload().objectChecksumSha256());
                entry.put("elapsed_ms", result.elapsedMillis());
                entry.put("exit_code", ExitCode.OK);
                if (!json) {
                    out.println(String.format(java.util.Locale.ROOT, "%s %s %s (%s, %d of %d parts sent, %.1f s)",
                            result.fileId(), result.upload().uploadStatus(), source.file().getPath(),
                            Sizes.human(result.upload().fileSize()), result.partsSent(), result.upload().partCount(),
                            result.elapsedMillis() / 1000.0));
                }
            } catch (Exception failure) {
                int code = ExitCode.of(failure);
                String fileId = failure instanceof FreightException ? ((FreightException) failure).fileId() : null;
                if (fileId == null && task != null) {
                    fileId = task.fileId();
                }
                entry.put("file_id", fileId);
                entry.put("error", Messages.oneLine(failure));
                entry.put("exit_code", code);
                entry.put("resumable", code == ExitCode.INTERRUPTED
                        || failure instanceof FreightException && ((FreightException) failure).resumable());
                if (code == ExitCode.INTERRUPTED) {
                    err.println("freight: interrupted; " + source.file().getPath() + " is resumable: freight resume "
                            + source.file().getPath());
                } else {
                    err.println("freight: " + source.file().getPath() + ": " + Messages.oneLine(failure));
                }
                if (exit == ExitCode.OK) {
                    exit = code;
                }
                if (code == ExitCode.INTERRUPTED) {
                    exit = code;
                    break;
                }
            } finally {
                Interrupts.onInterrupt(null);
            }
            before += source.file().length();
        }
        if (json) {
            ObjectNode document = JSON.createObjectNode();
            document.put("exit_code", exit);
            document.set("files", results);
            out.println(document.toPrettyString());
        }
        out.flush();
        err.flush();
        return exit;
    }

    static UploadOptions copy(UploadOptions options) {
        UploadOptions copy = UploadOptions.defaults().partSize(options.partSize()).parallelism(options.parallelism())
                .authorName(options.authorName()).fileType(options.fileType())
                .maxBytesPerSecond(options.maxBytesPerSecond()).progressIntervalMillis(options.progressIntervalMillis());
        options.metadata().forEach(copy::metadata);
        return copy;
    }
}
