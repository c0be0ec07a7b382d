package dev.freight.cli;

import java.io.File;
import java.io.FileNotFoundException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import dev.freight.client.FileSource;
import dev.freight.client.FreightClient;
import dev.freight.client.UploadOptions;
import dev.freight.client.UploadState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "resume", description = "Continue unfinished uploads, sending only the parts storage lacks. Without "
        + "FILE: every upload this machine left unfinished. With FILE and no local state: the matching unfinished "
        + "upload found on the service (same name, size, modification time and content fingerprint).")
final class ResumeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    Common common;

    @Mixin
    TransferOptions transfer;

    @Parameters(arity = "0..*", paramLabel = "FILE", description = "Files to resume (default: all unfinished).")
    List<File> files;

    @Option(names = "--id", paramLabel = "FILE_ID", converter = FileIds.class, description = "Resume this upload with the one FILE given.")
    String fileId;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        FreightClient client = common.client(transfer.parallel);
        List<FileSource> sources = new ArrayList<>();
        if (files == null || files.isEmpty()) {
            if (fileId != null) {
                err.println("freight: --id needs the FILE to resume it with");
                return ExitCode.USAGE;
            }
            for (UploadState state : client.pendingUploads()) {
                if (state.sourceKey() == null) {
                    continue;
                }
                File file = new File(state.sourceKey());
                if (!file.isFile()) {
                    err.println("freight: " + file + " (upload " + state.fileId() + "): no such file; skipped");
                    continue;
                }
                sources.add(new FileSource(file));
            }
            if (sources.isEmpty()) {
                err.println("freight: nothing to resume");
                return ExitCode.OK;
            }
        } else {
            if (fileId != null && files.size() != 1) {
                err.println("freight: --id takes exactly one FILE");
                return ExitCode.USAGE;
            }
            for (File file : files) {
                try {
                    sources.add(FileSource.of(file));
                } catch (FileNotFoundException unusable) {
                    err.println("freight: " + unusable.getMessage());
                    return ExitCode.USAGE;
                }
            }
        }
        UploadOptions options;
        try {
            options = transfer.options(common.tokenGiven());
        } catch (IllegalArgumentException bad) {
            err.println("freight: " + bad.getMessage());
            return ExitCode.USAGE;
        }
        return Transfers.uploadAll(sources, options, (source, opts) -> client.startResume(source, fileId, opts),
                common.json, transfer.quiet, out, err, "resume");
    }
}
