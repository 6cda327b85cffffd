package io.runstream.processor.api;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Comparator;

/**
 * Position in the incident list, which is ordered newest first ({@code openedAt} descending, then id). Opaque
 * to clients; stable across instances because every instance orders the same way.
 */
record PageCursor(long openedAtMillis, String id) {

    /** Newest first, then by id so that equal times still have one order. */
    static final Comparator<PageCursor> ORDER = Comparator.comparingLong(PageCursor::openedAtMillis).reversed()
            .thenComparing(PageCursor::id);

    boolean isBefore(PageCursor other) {
        return ORDER.compare(this, other) < 0;
    }

    String encode() {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((openedAtMillis + ":" + id).getBytes(StandardCharsets.UTF_8));
    }

    static PageCursor decode(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return new PageCursor(Long.parseLong(decoded.substring(0, colon)), decoded.substring(colon + 1));
        } catch (IllegalArgumentException | StringIndexOutOfBoundsException e) {
            throw new BadRequest("after", "not a cursor this API returned");
        }
    }
}
