package dev.freight.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * Where the bearer token comes from, never the command line by choice: the environment ({@code FREIGHT_TOKEN}), a
 * file ({@code --token-file}) or standard input ({@code --token-stdin}). {@code --token} still works for the scripts
 * that use it, with a warning: every local user sees a command line in {@code ps} and {@code /proc}.
 */
final class TokenSource {

    static final String ENVIRONMENT = "FREIGHT_TOKEN";

    @Option(names = "--token", paramLabel = "JWT", description = "Deprecated: other local users see it in 'ps'. "
            + "Use env FREIGHT_TOKEN, --token-file or --token-stdin.")
    String onCommandLine;

    @Option(names = "--token-file", paramLabel = "PATH",
            description = "Read the bearer token from this file (e.g. one only you can read).")
    Path file;

    @Option(names = "--token-stdin", description = "Read the bearer token from the first line of standard input.")
    boolean stdin;

    /** The token (null when none was given), read once; a malformed source is a usage error naming it. */
    String resolve(CommandLine command, Map<String, String> environment, InputStream in, PrintWriter err) {
        int sources = (onCommandLine != null ? 1 : 0) + (file != null ? 1 : 0) + (stdin ? 1 : 0);
        if (sources > 1) {
            throw usage(command, "--token, --token-file and --token-stdin exclude each other: give one");
        }
        if (onCommandLine != null) {
            err.println("freight: warning: --token is visible to other local users (ps); use " + ENVIRONMENT
                    + ", --token-file or --token-stdin");
            return required(command, onCommandLine, "--token");
        }
        if (file != null) {
            try {
                return required(command, Files.readString(file, StandardCharsets.UTF_8), "--token-file " + file);
            } catch (IOException | java.io.UncheckedIOException unreadable) {
                throw usage(command, "--token-file " + file + ": cannot read it ("
                        + unreadable.getClass().getSimpleName().replace("Exception", "") + ")");
            }
        }
        if (stdin) {
            try {
                String line = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
                return required(command, line == null ? "" : line, "--token-stdin");
            } catch (IOException unreadable) {
                throw usage(command, "--token-stdin: cannot read standard input");
            }
        }
        String fromEnvironment = environment.get(ENVIRONMENT);
        return fromEnvironment == null || fromEnvironment.isBlank() ? null : fromEnvironment.strip();
    }

    /** A token given explicitly must be one: no blanks inside (a header value), not empty. */
    private static String required(CommandLine command, String value, String source) {
        String token = value.strip();
        if (token.isEmpty()) {
            throw usage(command, source + ": the token is empty");
        }
        if (!token.chars().allMatch(character -> character > 0x20 && character < 0x7F)) {
            throw usage(command, source + ": the token must be one line of printable ASCII without spaces");
        }
        return token;
    }

    private static CommandLine.ParameterException usage(CommandLine command, String message) {
        return new CommandLine.ParameterException(command, message);
    }
}
