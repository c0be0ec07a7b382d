package dev.freight.upload.storage;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * Merges several newest-first streams (the shards of an index, and an older unsharded index while a table still has
 * one) into one newest-first page, reading each stream only as far as the page needs: a first read of about
 * {@code limit / streams} items from each, more only from a stream whose read items were all taken. The page's
 * continuation is one {@link Cursor} per stream, so the next page goes on exactly where each stream stopped.
 */
final class ShardMerge {

    /** Newest first: the later sort key, then (the same instant in two streams) the greater file id. */
    static final Comparator<Cursor> NEWEST_FIRST = Comparator.comparing(Cursor::sortKey)
            .thenComparing(Cursor::fileId).reversed();

    private ShardMerge() {
    }

    /** Where one stream's reading continues: from its start, after an item, or nowhere (it has no more). */
    record Cursor(Kind kind, String fileId, String sortKey) {

        enum Kind { START, AFTER, DONE }

        static final Cursor START = new Cursor(Kind.START, null, null);
        static final Cursor DONE = new Cursor(Kind.DONE, null, null);

        Cursor {
            Objects.requireNonNull(kind, "kind");
            if ((kind == Kind.AFTER) != (fileId != null && sortKey != null)) {
                throw new IllegalArgumentException("only a cursor after an item names one");
            }
        }

        static Cursor after(String fileId, String sortKey) {
            return new Cursor(Kind.AFTER, fileId, sortKey);
        }
    }

    /**
     * One read of a stream: the items it answered (newest first), where the next read of it continues ({@link
     * Cursor#DONE} when the stream has no more), and how many items the read examined (a filtered read examines
     * items it does not answer).
     */
    record Chunk<T>(List<T> items, Cursor next, int examined) {
    }

    /** Reads at most about {@code wanted} answered items of stream {@code stream} from {@code from} on. */
    interface Source<T> {
        Chunk<T> read(int stream, Cursor from, int wanted);
    }

    /** One read a merge step needs: which stream, from where, about how many items. */
    record Read(int stream, Cursor from, int wanted) {
    }

    /**
     * How the reads of one merge step run: one after another, or at most {@code maxInFlight} at a time on
     * {@code executor} (a listing reads every shard of an owner; in parallel its latency is a few reads', not one per
     * shard). The answers come back in the order asked.
     */
    record Reads(Executor executor, int maxInFlight) {

        static final Reads ONE_BY_ONE = new Reads(Runnable::run, 1);

        <T> List<Chunk<T>> readAll(List<Read> asked, Source<T> source) {
            List<Chunk<T>> answers = new ArrayList<>(asked.size());
            if (maxInFlight <= 1 || asked.size() == 1) {
                asked.forEach(one -> answers.add(source.read(one.stream(), one.from(), one.wanted())));
                return answers;
            }
            for (int wave = 0; wave < asked.size(); wave += maxInFlight) {
                List<CompletableFuture<Chunk<T>>> running = asked.subList(wave, Math.min(asked.size(),
                        wave + maxInFlight)).stream().map(one -> CompletableFuture.supplyAsync(
                                () -> source.read(one.stream(), one.from(), one.wanted()), executor)).toList();
                for (CompletableFuture<Chunk<T>> answer : running) {
                    try {
                        answers.add(answer.join());
                    } catch (CompletionException failed) {
                        if (failed.getCause() instanceof RuntimeException cause) {
                            throw cause;
                        }
                        throw failed;
                    }
                }
            }
            return answers;
        }
    }

    /**
     * A page: its items, newest first; the cursors the next page starts from (null when every stream is done), and
     * the items examined to make it.
     */
    record Page<T>(List<T> items, List<Cursor> next, int examined) {
    }

    /**
     * Up to {@code limit} items, newest first over every stream, continuing from {@code from} (one cursor per
     * stream). Stops early with a shorter page (and cursors that go on from there) once {@code maxExamined} items
     * were examined. {@code position} gives an item's own cursor (the position just after it).
     */
    static <T> Page<T> merge(List<Cursor> from, int limit, int maxExamined, Function<T, Cursor> position,
            Source<T> source) {
        return merge(from, limit, maxExamined, position, source, Reads.ONE_BY_ONE);
    }

    /**
     * The same, the reads that one step needs (one per stream that has no read item left) run through
     * {@code reads}; the examined items may then pass {@code maxExamined} by one step's reads.
     */
    static <T> Page<T> merge(List<Cursor> from, int limit, int maxExamined, Function<T, Cursor> position,
            Source<T> source, Reads reads) {
        int streams = from.size();
        List<ArrayDeque<T>> read = new ArrayList<>(streams);
        Cursor[] taken = from.toArray(Cursor[]::new);
        Cursor[] readFrom = from.toArray(Cursor[]::new);
        for (int stream = 0; stream < streams; stream++) {
            read.add(new ArrayDeque<>());
        }
        List<T> page = new ArrayList<>(limit);
        int examined = 0;
        // Counts each read as at least one item, so a stream that answers nothing can never keep the loop going.
        int spent = 0;
        while (page.size() < limit) {
            // Every stream that may hold more must show its newest unread item before one is taken: the streams
            // that need a read are read together (in parallel where the reads allow), then looked at in order.
            List<Integer> needed = new ArrayList<>();
            do {
                needed.clear();
                for (int stream = 0; stream < streams; stream++) {
                    if (read.get(stream).isEmpty() && readFrom[stream].kind() != Cursor.Kind.DONE) {
                        needed.add(stream);
                    }
                }
                if (needed.isEmpty()) {
                    break;
                }
                if (spent >= maxExamined) {
                    return new Page<>(page, continuation(read, taken, readFrom), examined);
                }
                int wanted = ceilDiv(limit - page.size(), streams) + 1;
                List<Chunk<T>> chunks = reads.readAll(needed.stream()
                        .map(stream -> new Read(stream, readFrom[stream], wanted)).toList(), source);
                for (int i = 0; i < needed.size(); i++) {
                    int stream = needed.get(i);
                    Chunk<T> chunk = chunks.get(i);
                    examined += chunk.examined();
                    spent += Math.max(1, chunk.examined());
                    read.get(stream).addAll(chunk.items());
                    readFrom[stream] = chunk.next();
                }
            } while (true);
            int newest = -1;
            for (int stream = 0; stream < streams; stream++) {
                T head = read.get(stream).peekFirst();
                if (head != null && (newest < 0
                        || NEWEST_FIRST.compare(position.apply(head), position.apply(read.get(newest).peekFirst())) < 0)) {
                    newest = stream;
                }
            }
            if (newest < 0) {
                break;
            }
            T item = read.get(newest).pollFirst();
            page.add(item);
            taken[newest] = position.apply(item);
        }
        return new Page<>(page, continuation(read, taken, readFrom), examined);
    }

    /**
     * Each stream goes on after the last item taken from it when it still holds read items (they are read again),
     * else from where its reading stopped; null when no stream has more.
     */
    private static <T> List<Cursor> continuation(List<ArrayDeque<T>> read, Cursor[] taken, Cursor[] readFrom) {
        List<Cursor> next = new ArrayList<>(taken.length);
        boolean more = false;
        for (int stream = 0; stream < taken.length; stream++) {
            Cursor cursor = read.get(stream).isEmpty() ? readFrom[stream] : taken[stream];
            more |= cursor.kind() != Cursor.Kind.DONE;
            next.add(cursor);
        }
        return more ? next : null;
    }

    private static int ceilDiv(int dividend, int divisor) {
        return (dividend + divisor - 1) / divisor;
    }
}
