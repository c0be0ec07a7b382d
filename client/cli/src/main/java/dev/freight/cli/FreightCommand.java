package dev.freight.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Map;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code freight}: uploads, resumes, lists, downloads and aborts files on a Freight service. */
@Command(name = "freight", mixinStandardHelpOptions = true, version = "freight 1.0.0",
        description = "Resumable, parallel, SHA-256-checked uploads and downloads through a Freight service.",
        subcommands = {UploadCommand.class, ResumeCommand.class, ListCommand.class, StatusCommand.class,
                DownloadCommand.class, AbortCommand.class, DeadLettersCommand.class, CommandLine.HelpCommand.class},
        footerHeading = "%nExit codes:%n",
        footer = {"  0    done", "  1    internal error (a bug)",
                "  2    usage: bad option, missing file, a directory",
                "  3    refused by the service (unknown id, not uploading, not authorised, nothing to resume)",
                "  4    storage refused the bytes, or a download did not verify",
                "  5    service unreachable or unavailable",
                "  6    the file changed since its upload started",
                "  130  interrupted (Ctrl-C); resume with 'freight resume'"})
public final class FreightCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Where the commands read FREIGHT_TOKEN and standard input from (the process's own, unless a test's). */
    Map<String, String> environment = System.getenv();
    InputStream in = System.in;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing a command (upload, resume, ls, status, "
                + "download, abort)");
    }

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs one command line; never throws: every failure is a one-line message and an exit code. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        return execute(args, out, err, System.getenv(), System.in);
    }

    /** The same with the environment and standard input given. */
    static int execute(String[] args, PrintWriter out, PrintWriter err, Map<String, String> environment,
            InputStream in) {
        FreightCommand root = new FreightCommand();
        root.environment = environment;
        root.in = in;
        CommandLine line = new CommandLine(root);
        line.setOut(out);
        line.setErr(err);
        line.setParameterExceptionHandler((failure, arguments) -> {
            err.println("freight: " + failure.getMessage());
            err.println("Try 'freight --help'.");
            return ExitCode.USAGE;
        });
        line.setExecutionExceptionHandler((failure, commandLine, parsed) -> {
            err.println("freight: " + Messages.oneLine(failure));
            return ExitCode.of(failure);
        });
        return line.execute(args);
    }
}
