package dev.freight.cli;

import java.io.PrintWriter;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.node.ArrayNode;

import dev.freight.client.FreightClient;
import dev.freight.client.RemoteUpload;
import dev.freight.client.UploadPage;
import dev.freight.client.UploadState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "ls", description = "List your uploads, newest first ('*' marks those resumable from this machine).")
final class ListCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    Common common;

    @Option(names = "--unfinished", description = "Only uploads still uploading (resumable).")
    boolean unfinished;

    @Option(names = "--author", paramLabel = "NAME", defaultValue = "${env:FREIGHT_AUTHOR}",
            description = "Uploads recorded under this author_name (env FREIGHT_AUTHOR; default: the name in the token, "
                    + "else your user name, as for upload).")
    String author;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "1000", description = "At most N entries.")
    int limit;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        FreightClient client = common.client();
        if (limit < 1) {
            throw common.usage("--limit must be at least 1, not " + limit);
        }
        if ((author == null || author.isBlank()) && !common.tokenGiven()) {
            author = System.getProperty("user.name", "freight");
        }
        Set<String> local = new HashSet<>();
        for (UploadState state : client.pendingUploads()) {
            local.add(state.fileId());
        }
        ArrayNode all = Transfers.JSON.createArrayNode();
        String next = null;
        int shown = 0;
        boolean header = false;
        do {
            UploadPage page = client.list(author, unfinished ? "uploading" : null, Math.min(100, limit - shown), next);
            if (!common.json && !header) {
                header = true;
                out.println(String.format(Locale.ROOT, "%-36s  %-9s %10s  %-20s  %s", "FILE_ID", "STATUS", "SIZE",
                        "CREATED", "NAME"));
            }
            for (RemoteUpload upload : page.uploads()) {
                if (common.json) {
                    all.add(Transfers.JSON.readTree(upload.json()));
                } else {
                    out.println(String.format(Locale.ROOT, "%-36s%s %-9s %10s  %-20s  %s", upload.fileId(),
                            local.contains(upload.fileId()) ? "*" : " ", upload.uploadStatus(),
                            Sizes.human(upload.fileSize()), upload.createdAt() == null ? "" : upload.createdAt(),
                            upload.filename()));
                }
                shown++;
            }
            next = page.nextToken();
        } while (next != null && shown < limit);
        if (common.json) {
            out.println(all.toPrettyString());
        }
        return ExitCode.OK;
    }
}
