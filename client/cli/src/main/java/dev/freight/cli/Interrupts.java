package dev.freight.cli;

/**
 * Ctrl-C (SIGINT) cancels the running transfer instead of killing the JVM, so the state is saved and the command
 * ends with a message and exit code 130. A second Ctrl-C ends the process at once (parts in storage stay).
 */
final class Interrupts {

    private static volatile Runnable onInterrupt;
    private static volatile boolean interrupted;

    private Interrupts() {
    }

    static void install() {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), signal -> {
                Runnable action = onInterrupt;
                if (interrupted || action == null) {
                    Runtime.getRuntime().halt(ExitCode.INTERRUPTED);
                }
                interrupted = true;
                action.run();
            });
        } catch (Throwable unsupported) {
            // Without signal handling (another JVM), Ctrl-C ends the process: parts sent stay resumable anyway.
        }
    }

    static void onInterrupt(Runnable action) {
        onInterrupt = action;
        if (interrupted && action != null) {
            action.run();
        }
    }

    static boolean interrupted() {
        return interrupted;
    }
}
