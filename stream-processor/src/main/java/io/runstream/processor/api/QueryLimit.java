package io.runstream.processor.api;

/** The {@code limit} query parameter of the read endpoints: absent is the default, else a whole number in range. */
final class QueryLimit {

    private QueryLimit() {
    }

    /** @throws BadRequest naming {@code limit}, the range, and (cut to 100 characters) what was given */
    static int parse(String text, int defaultLimit, int max) {
        if (text == null || text.isBlank()) {
            return defaultLimit;
        }
        try {
            int limit = Integer.parseInt(text.trim());
            if (limit >= 1 && limit <= max) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // Answered below with the range.
        }
        throw new BadRequest("limit", "limit must be a whole number from 1 to " + max + ", was '"
                + (text.length() <= 100 ? text : text.substring(0, 100) + "...") + "'");
    }
}
