package dev.freight.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import dev.freight.client.RemoteUpload;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "status", description = "Show an upload: its state and the parts storage holds.")
final class StatusCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    Common common;

    @Parameters(paramLabel = "FILE_ID", converter = FileIds.class)
    String fileId;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        RemoteUpload upload = common.client().status(fileId);
        if (common.json) {
            out.println(Transfers.JSON.readTree(upload.json()).toPrettyString());
            return ExitCode.OK;
        }
        out.println("file_id:      " + upload.fileId());
        out.println("filename:     " + upload.filename());
        out.println("status:       " + upload.uploadStatus());
        out.println("size:         " + upload.fileSize() + " (" + Sizes.human(upload.fileSize()) + ")");
        out.println("parts:        " + upload.uploadedParts().size() + " of " + upload.partCount() + " held, "
                + Sizes.human(upload.bytesUploaded()) + " (part size " + Sizes.human(upload.partSize()) + ")");
        out.println("checksum:     " + (upload.checksumAlgorithm() == null ? "none" : upload.checksumAlgorithm()));
        if (upload.etag() != null) {
            out.println("etag:         " + upload.etag());
        }
        if (upload.objectChecksumSha256() != null) {
            out.println("object sha256:" + " " + upload.objectChecksumSha256());
        }
        if (upload.completedAt() != null) {
            out.println("completed_at: " + upload.completedAt());
        }
        return ExitCode.OK;
    }
}
