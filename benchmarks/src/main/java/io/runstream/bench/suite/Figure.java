package io.runstream.bench.suite;

/**
 * One row of the report: Runstream's figure beside the peer's or the machine's limit, their ratio, and the goal
 * with whether it was met ({@code met} is null where there is no goal). Missing values are NaN.
 */
record Figure(String stage, String figure, double runstream, double peer, String peerName, String goal, Boolean met) {

    double ratio() {
        return runstream / peer;
    }

    static Figure limit(String stage, String figure, double limit) {
        return new Figure(stage, figure, Double.NaN, limit, "broker limit", null, null);
    }
}
