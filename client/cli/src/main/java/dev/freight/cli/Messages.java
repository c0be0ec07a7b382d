package dev.freight.cli;

/** Failures as one line for people. */
final class Messages {

    private Messages() {
    }

    static String oneLine(Throwable failure) {
        String message = failure.getMessage();
        if (message == null || message.isBlank()) {
            message = failure.getClass().getSimpleName();
        }
        if (failure instanceof java.net.ConnectException) {
            message = "cannot connect: " + message;
        }
        return message.replaceAll("\\s+", " ").trim();
    }
}
