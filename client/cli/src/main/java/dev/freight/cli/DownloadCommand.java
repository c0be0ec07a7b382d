package dev.freight.cli;

import java.io.File;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.freight.client.DownloadOptions;
import dev.freight.client.DownloadResult;
import dev.freight.client.DownloadTask;
import dev.freight.client.FreightClient;
import dev.freight.client.RemoteUpload;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "download", description = "Download a file in parallel parts, each checked against its SHA-256; "
        + "written under a temporary name and moved into place only when every part checks. Rerun to resume.")
final class DownloadCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    Common common;

    @Parameters(paramLabel = "FILE_ID", converter = FileIds.class)
    String fileId;

    @Option(names = {"-o", "--output"}, paramLabel = "PATH",
            description = "Where to write it (a directory keeps the upload's name; default: ./<filename>).")
    File output;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "4", description = "Parts fetched at once.")
    int parallel;

    @Option(names = "--quiet", description = "No progress output.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (parallel < 1 || parallel > 64) {
            throw common.usage("--parallel must be 1..64, not " + parallel);
        }
        if (output != null && output.getPath().isBlank()) {
            throw common.usage("--output must name a file or directory, not ''");
        }
        FreightClient client = common.client(parallel);
        File target = output;
        if (target == null || target.isDirectory()) {
            RemoteUpload upload = client.status(fileId);
            String name = new File(upload.filename()).getName();
            target = target == null ? new File(name) : new File(target, name);
        }
        Interrupts.install();
        try (ProgressView view = new ProgressView(ProgressView.defaultMode(quiet), err, "download", target.getName(), 0,
                0, "")) {
            DownloadTask task = client.startDownload(fileId, target,
                    DownloadOptions.defaults().parallelism(parallel).listener(view));
            Interrupts.onInterrupt(task::cancel);
            DownloadResult result = task.await();
            view.close();
            if (common.json) {
                ObjectNode node = Transfers.JSON.createObjectNode();
                node.put("file_id", result.fileId());
                node.put("path", result.file().getPath());
                node.put("size", result.size());
                node.put("part_count", result.partCount());
                node.put("parts_fetched", result.partsFetched());
                node.put("verified_by_parts", result.verifiedByParts());
                node.put("elapsed_ms", result.elapsedMillis());
                out.println(node.toPrettyString());
            } else {
                out.println(String.format(Locale.ROOT, "%s %s (%s, %d parts%s, %.1f s)", fileId, result.file().getPath(),
                        Sizes.human(result.size()), result.partCount(),
                        result.verifiedByParts() ? ", each SHA-256 verified" : ", size checked", result.elapsedMillis()
                                / 1000.0));
            }
            return ExitCode.OK;
        } catch (dev.freight.client.UploadCancelledException interrupted) {
            err.println("freight: interrupted; rerun 'freight download " + fileId + "' to continue");
            return ExitCode.INTERRUPTED;
        } finally {
            Interrupts.onInterrupt(null);
        }
    }
}
