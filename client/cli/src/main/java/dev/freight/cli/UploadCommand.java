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
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "upload", description = "Upload files in parallel parts, each bound to its SHA-256. Ctrl-C stops "
        + "cleanly; 'freight resume' continues.")
final class UploadCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    Common common;

    @Mixin
    TransferOptions transfer;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Files to upload.")
    List<File> files;

    @Option(names = "--part-size", paramLabel = "SIZE", converter = Sizes.class,
            description = "Part size to ask for, e.g. 16M (the service clamps it; default 16M).")
    Long partSize;

    @Option(names = "--type", paramLabel = "MEDIA-TYPE", description = "file_type (default: guessed from the name).")
    String type;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        List<FileSource> sources = new ArrayList<>();
        for (File file : files) {
            try {
                sources.add(FileSource.of(file));
            } catch (FileNotFoundException unusable) {
                err.println("freight: " + unusable.getMessage());
                return ExitCode.USAGE;
            }
        }
        UploadOptions options;
        try {
            options = transfer.options(common.tokenGiven());
        } catch (IllegalArgumentException bad) {
            err.println("freight: " + bad.getMessage());
            return ExitCode.USAGE;
        }
        if (type != null && type.isBlank()) {
            throw common.usage("--type must be a media type such as video/mp4, not '" + type + "'");
        }
        if (partSize != null) {
            options.partSize(partSize);
        }
        options.fileType(type);
        FreightClient client = common.client(transfer.parallel);
        return Transfers.uploadAll(sources, options, client::startUpload, common.json, transfer.quiet, out, err,
                "upload");
    }
}
