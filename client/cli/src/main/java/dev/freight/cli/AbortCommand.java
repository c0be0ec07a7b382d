package dev.freight.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "abort", description = "Give an unfinished upload up: storage deletes its parts.")
final class AbortCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    Common common;

    @Parameters(paramLabel = "FILE_ID", converter = FileIds.class)
    String fileId;

    @Override
    public Integer call() throws Exception {
        common.client().abort(fileId);
        if (common.json) {
            spec.commandLine().getOut().println("{\"file_id\": \"" + fileId + "\", \"upload_status\": \"aborted\"}");
        } else {
            spec.commandLine().getOut().println(fileId + " aborted");
        }
        return ExitCode.OK;
    }
}
