package io.runstream.processor.rules;

/** How a measured value is compared with a threshold: {@code above:} is PromQL's {@code >}, {@code below:} its {@code <}. */
public enum Comparison {
    ABOVE(">"),
    BELOW("<");

    private final String operator;

    Comparison(String operator) {
        this.operator = operator;
    }

    public boolean holds(double measured, double threshold) {
        return this == ABOVE ? measured > threshold : measured < threshold;
    }

    public String operator() {
        return operator;
    }
}
