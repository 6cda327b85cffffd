package io.runstream.processor.detection;

/**
 * A threshold whose condition holds: pending since {@code activeAt} (the first evaluation at which it held),
 * firing once it has held for the threshold's {@code for}. Prometheus' active alert, per service or model.
 */
record ActiveAlert(long activeAt, boolean firing) {
}
