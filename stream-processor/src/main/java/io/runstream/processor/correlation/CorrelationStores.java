package io.runstream.processor.correlation;

/** Names of the stores the correlation processor owns. */
record CorrelationStores(String incidents, String timers, String runbookProgress, String rollouts, String records) {
}
