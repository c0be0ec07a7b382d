package dev.freight.cli;

import dev.freight.client.UploadOptions;
import picocli.CommandLine.Option;

/** Options of {@code upload} and {@code resume}. */
final class TransferOptions {

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "4",
            description = "Parts sent at once, 1-64 (default ${DEFAULT-VALUE}).")
    int parallel;

    @Option(names = "--limit-rate", paramLabel = "SIZE", converter = Sizes.class,
            description = "Send at most SIZE bytes per second over all parts (e.g. 20M).")
    Long limitRate;

    @Option(names = "--author", paramLabel = "NAME", defaultValue = "${env:FREIGHT_AUTHOR}",
            description = "author_name recorded with uploads and used to find unfinished ones (env FREIGHT_AUTHOR; "
                    + "default: the name in the token, else your user name).")
    String author;

    @Option(names = "--quiet", description = "No progress output.")
    boolean quiet;

    UploadOptions options(boolean tokenGiven) {
        if (parallel < 1 || parallel > 64) {
            throw new IllegalArgumentException("--parallel must be 1..64");
        }
        String name = author != null && !author.isBlank() ? author
                : tokenGiven ? null : System.getProperty("user.name", "freight");
        return UploadOptions.defaults().parallelism(parallel).authorName(name)
                .maxBytesPerSecond(limitRate == null ? 0 : limitRate);
    }
}
