package io.runstream.launcher.backtest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** The report as JSON: every field of {@link BacktestReport}, times as ISO-8601, plus the headline. */
public final class ReportJson {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).enable(SerializationFeature.INDENT_OUTPUT);

    private ReportJson() {
    }

    public static String of(BacktestReport report) {
        try {
            return JSON.writeValueAsString(new Document(report.headline(), report));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the backtest report cannot be written as JSON", e);
        }
    }

    private record Document(String headline, BacktestReport report) {
    }
}
