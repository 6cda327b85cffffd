package io.runstream.processor.detection;

/**
 * The keys of a service's active alerts: {@code rule/severity} for a rule's one alert, followed by a NUL and the
 * group's {@link Series#labelsKey} for rules with {@code by:} (one alert per group). Rule names cannot contain
 * the NUL, so a key names its rule and group unambiguously.
 */
final class AlertKeys {

    private static final char GROUP = '\u0000';

    private AlertKeys() {
    }

    static String key(String prefix, String group) {
        return group.isEmpty() ? prefix : prefix + GROUP + group;
    }

    /** The group of {@code key} if it is an alert of {@code prefix} ("" for the ungrouped one), else null. */
    static String groupOf(String key, String prefix) {
        if (key.equals(prefix)) {
            return "";
        }
        if (key.length() > prefix.length() && key.startsWith(prefix) && key.charAt(prefix.length()) == GROUP) {
            return key.substring(prefix.length() + 1);
        }
        return null;
    }
}
