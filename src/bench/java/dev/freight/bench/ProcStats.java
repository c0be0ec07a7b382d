package dev.freight.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Readings of one process from /proc: CPU time, bytes read through system calls, resident memory. */
record ProcStats(long pid, double cpuSeconds, long readChars, long rssBytes) {

    /** Clock ticks per second of /proc/<pid>/stat; 100 on every Linux the suite targets. */
    private static final double TICKS = 100.0;

    static ProcStats of(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // Fields after the command name, which may itself hold spaces and parentheses.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            double cpu = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS; // utime, stime
            long rchar = 0;
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "io"))) {
                if (line.startsWith("rchar:")) {
                    rchar = Long.parseLong(line.substring(6).trim());
                }
            }
            return new ProcStats(pid, cpu, rchar, rss(pid));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/" + pid, e);
        }
    }

    /**
     * This JVM's CPU seconds plus those of its reaped children (utime, stime, cutime, cstime of /proc/self/stat):
     * the client's cost, whether it runs in this JVM or as a child process that has exited.
     */
    static double selfAndChildrenCpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12]) + Long.parseLong(fields[13])
                    + Long.parseLong(fields[14])) / TICKS;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/self/stat", e);
        }
    }

    static long rss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
            return 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** Children's CPU (cutime + cstime) are not included: the measured processes do not fork. */
    ProcStats minus(ProcStats before) {
        return new ProcStats(pid, cpuSeconds - before.cpuSeconds, readChars - before.readChars, rssBytes);
    }
}
