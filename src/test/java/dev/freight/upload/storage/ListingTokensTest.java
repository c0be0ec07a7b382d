package dev.freight.upload.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.freight.problem.FreightException;

/** next_token: authenticated, bound to caller and filters, rotation-friendly; the owner index's sort key. */
class ListingTokensTest {

    private static final String OLD_KEY = "old-key-0123456789abcdef0123456789";
    private static final String NEW_KEY = "new-key-0123456789abcdef0123456789";
    /** One cursor per stream: one shard read part-way, one not yet read, one done. */
    private static final List<ShardMerge.Cursor> POSITION = List.of(
            ShardMerge.Cursor.after(UUID.randomUUID().toString(), "2026-12-01T10:00:00.500000000Z"),
            ShardMerge.Cursor.START, ShardMerge.Cursor.DONE);
    private static final int STREAMS = POSITION.size();

    @Test
    void aTokenRoundTripsForTheSameCallerAndListingOnly() {
        ListingTokens tokens = new ListingTokens(Optional.of(NEW_KEY), List.of());
        String token = tokens.encode(POSITION, "alice", "a:Ada\n");
        assertThat(tokens.decode(token, "alice", "a:Ada\n", STREAMS)).isEqualTo(POSITION);
        assertThat(token).doesNotContain("alice").doesNotContain("Ada");
        assertRefused(tokens, token, "bob", "a:Ada\n");
        assertRefused(tokens, token, "alice", "a:Bob\n");
        assertRefused(tokens, token, "alice", "a:Ada\nuploading");
    }

    @Test
    void changedTruncatedOrMadeUpTokensAreRefused() {
        ListingTokens tokens = new ListingTokens(Optional.of(NEW_KEY), List.of());
        String token = tokens.encode(POSITION, "alice", "");
        char last = token.charAt(token.length() - 1);
        List<String> bad = List.of(token.substring(0, token.length() - 1) + (last == 'A' ? 'B' : 'A'),
                token.substring(0, token.length() - 5), token.substring(0, token.indexOf('.', 3)),
                "v2." + token.split("\\.")[1] + ".", "v1" + token.substring(2), "", "....", "v1.%%%.***",
                new ListingTokens(Optional.of("another-key-0123456789abcdef012345"), List.of())
                        .encode(POSITION, "alice", ""));
        for (String forged : bad) {
            assertRefused(tokens, forged, "alice", "");
        }
    }

    @Test
    void everyOtherLastCharacterIsRefusedEvenWhereItDecodesToTheSameBytes() {
        ListingTokens tokens = new ListingTokens(Optional.of(NEW_KEY), List.of());
        String token = tokens.encode(POSITION, "alice", "");
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        String head = token.substring(0, token.length() - 1);
        // A 32-byte MAC is 43 characters whose last one carries 2 unused bits: 3 of these decode to the same MAC.
        alphabet.chars().filter(other -> other != token.charAt(token.length() - 1))
                .forEach(other -> assertRefused(tokens, head + (char) other, "alice", ""));
        assertThat(tokens.decode(token, "alice", "", STREAMS)).isEqualTo(POSITION);
    }

    @Test
    void everyStreamsCursorRoundTripsAndAnotherShardCountIsRefused() {
        ListingTokens tokens = new ListingTokens(Optional.of(NEW_KEY), List.of());
        List<ShardMerge.Cursor> cursors = List.of(ShardMerge.Cursor.DONE,
                ShardMerge.Cursor.after(UUID.randomUUID().toString(), "2026-12-01T10:00:00.000000001Z"),
                ShardMerge.Cursor.START, ShardMerge.Cursor.START,
                ShardMerge.Cursor.after(UUID.randomUUID().toString(), "2026-11-30T23:59:59.999999999Z"));
        String token = tokens.encode(cursors, "alice", "");
        assertThat(tokens.decode(token, "alice", "", 5)).containsExactlyElementsOf(cursors);
        // A token made when the index had another number of shards (or streams) is refused, not misread.
        for (int streams : new int[] {1, 4, 6, 17}) {
            assertThatThrownBy(() -> tokens.decode(token, "alice", "", streams))
                    .isInstanceOfSatisfying(FreightException.class,
                            refused -> assertThat(refused.problemType().status()).isEqualTo(400));
        }
    }

    @Test
    void aSignedPayloadWhoseCursorIsNotAPositionIsStillRefused() {
        ListingTokens tokens = new ListingTokens(Optional.of(NEW_KEY), List.of());
        // Cursors the service never makes: a file id that is no UUID, a missing sort key. Only this service can sign
        // them, but decoding must not trust the signature alone for the shape.
        String notAnId = tokens.encode(List.of(ShardMerge.Cursor.after("not-a-uuid", "2026")), "alice", "");
        assertThatThrownBy(() -> tokens.decode(notAnId, "alice", "", 1)).isInstanceOf(FreightException.class);
    }

    @Test
    void tokensSignedWithAPreviousKeyStayValidWhileThatKeyIsListed() {
        String oldToken = new ListingTokens(Optional.of(OLD_KEY), List.of()).encode(POSITION, "alice", "");
        assertThat(new ListingTokens(Optional.of(NEW_KEY), List.of(OLD_KEY)).decode(oldToken, "alice", "", STREAMS))
                .isEqualTo(POSITION);
        assertRefused(new ListingTokens(Optional.of(NEW_KEY), List.of()), oldToken, "alice", "");
    }

    @Test
    void theSortKeyIsFixedWidthAndSortsLikeTime() {
        Instant whole = Instant.parse("2026-12-01T10:00:00Z");
        Instant half = Instant.parse("2026-12-01T10:00:00.5Z");
        Instant nanos = Instant.parse("2026-12-01T10:00:00.000000001Z");
        // Instant.toString gets this wrong: "...:00Z" sorts after "...:00.5Z".
        assertThat(whole.toString().compareTo(half.toString())).isPositive();
        assertThat(UploadItem.sortable(whole)).isEqualTo("2026-12-01T10:00:00.000000000Z");
        assertThat(List.of(UploadItem.sortable(half), UploadItem.sortable(whole), UploadItem.sortable(nanos))
                .stream().sorted().toList())
                .containsExactly(UploadItem.sortable(whole), UploadItem.sortable(nanos), UploadItem.sortable(half));
        assertThat(UploadItem.sortable(half)).hasSameSizeAs(UploadItem.sortable(whole));
    }

    private static void assertRefused(ListingTokens tokens, String token, String owner, String listing) {
        assertThatThrownBy(() -> tokens.decode(token, owner, listing, STREAMS)).as(token)
                .isInstanceOfSatisfying(FreightException.class,
                        refused -> assertThat(refused.problemType().status()).isEqualTo(400));
    }
}
