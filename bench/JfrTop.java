import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the CPU of a JFR recording went (bench/cpu.sh --jfr): execution samples by thread, then the methods with the
 * most samples on top of the stack (self) and anywhere in it (inclusive, each method once per stack), then inclusive
 * samples of a few code areas; with FOCUS, the callers of the methods whose name contains it ({@code -Ddepth=N}
 * frames). A single-file program on JDK 25: {@code java bench/JfrTop.java FILE [THREAD-PREFIX] [TOP] [FOCUS]}.
 */
public class JfrTop {

    /** Code areas by the first frame (from the top) that belongs to one; a stack counts once per area. */
    private static final List<String[]> AREAS = List.of(
            new String[] {"S3 presigning (dev.freight PartUrlSigner)", "dev.freight.upload.storage.PartUrlSigner"},
            new String[] {"AWS SDK: request signing", "software.amazon.awssdk.http.auth"},
            new String[] {"AWS SDK: marshalling", "software.amazon.awssdk.protocols"},
            new String[] {"AWS SDK: all", "software.amazon.awssdk"},
            new String[] {"JDK HttpURLConnection (SDK's url client)", "sun.net.www"},
            new String[] {"Jackson", "com.fasterxml.jackson"},
            new String[] {"Hibernate Validator", "org.hibernate.validator"},
            new String[] {"logging", "org.jboss.logmanager"},
            new String[] {"Micrometer", "io.micrometer"},
            new String[] {"Vert.x / Netty", "io.netty"},
            new String[] {"Quarkus REST", "org.jboss.resteasy.reactive"},
            new String[] {"SmallRye Fault Tolerance", "io.smallrye.faulttolerance"},
            new String[] {"crypto (JCE)", "com.sun.crypto"},
            new String[] {"JDK digests and SecureRandom (SHA-2 in Java code under C1)", "sun.security.provider"},
            new String[] {"Freight code (anywhere in stack)", "dev.freight"});

    public static void main(String[] args) throws Exception {
        String threadPrefix = args.length > 1 ? args[1] : "";
        int top = args.length > 2 ? Integer.parseInt(args[2]) : 40;
        Map<String, Integer> byThread = new HashMap<>();
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> inclusive = new HashMap<>();
        Map<String, Integer> areas = new HashMap<>();
        // Optional: who calls methods whose name contains FOCUS (the first 4 callers below its first frame).
        String focus = args.length > 3 ? args[3] : null;
        Map<String, Integer> callers = new HashMap<>();
        int total = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[0]))) {
            if (!event.getEventType().getName().equals("jdk.ExecutionSample")) {
                continue;
            }
            String thread = event.getThread("sampledThread") == null ? "?"
                    : event.getThread("sampledThread").getJavaName();
            byThread.merge(thread.replaceAll("[0-9]+$", "N"), 1, Integer::sum);
            if (thread == null || !thread.startsWith(threadPrefix)) {
                continue;
            }
            RecordedStackTrace stack = event.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty()) {
                continue;
            }
            total++;
            List<RecordedFrame> frames = stack.getFrames();
            self.merge(name(frames.get(0)), 1, Integer::sum);
            if (focus != null) {
                for (int i = 0; i < frames.size(); i++) {
                    if (name(frames.get(i)).contains(focus)) {
                        StringBuilder chain = new StringBuilder(name(frames.get(i)));
                        for (int j = i + 1; j < Math.min(frames.size(), i + Integer.getInteger("depth", 5)); j++) {
                            chain.append(" <- ").append(name(frames.get(j)));
                        }
                        callers.merge(chain.toString(), 1, Integer::sum);
                        break;
                    }
                }
            }
            Set<String> seen = new HashSet<>();
            Set<String> seenAreas = new HashSet<>();
            for (RecordedFrame frame : frames) {
                String method = name(frame);
                if (seen.add(method)) {
                    inclusive.merge(method, 1, Integer::sum);
                }
                for (String[] area : AREAS) {
                    if (method.startsWith(area[1]) && seenAreas.add(area[0])) {
                        areas.merge(area[0], 1, Integer::sum);
                    }
                }
            }
        }
        System.out.println("samples by thread (all): ");
        print(byThread, 30, byThread.values().stream().mapToInt(Integer::intValue).sum());
        System.out.printf("%nsamples of threads starting with '%s': %d%n%nself (top of stack):%n", threadPrefix, total);
        print(self, top, total);
        System.out.printf("%ninclusive:%n");
        print(inclusive, top, total);
        System.out.printf("%nareas (inclusive):%n");
        print(areas, AREAS.size(), total);
        if (focus != null) {
            System.out.printf("%ncallers of '%s':%n", focus);
            print(callers, top, total);
        }
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    private static void print(Map<String, Integer> counts, int top, int total) {
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
                .forEach(entry -> System.out.printf("%6d %5.1f %%  %s%n", entry.getValue(),
                        100.0 * entry.getValue() / Math.max(1, total), entry.getKey()));
    }
}
