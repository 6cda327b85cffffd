package io.runstream.ingest;

/** Realistic request bodies, as Alertmanager 0.25, PagerDuty and a drift job send them. */
final class Payloads {

    private Payloads() {
    }

    /** A version-4 notification with a firing (zero endsAt) and a resolved alert, as Alertmanager sends it. */
    static final String ALERTMANAGER_FIRING_AND_RESOLVED = """
            {"receiver":"runstream","status":"firing","alerts":[
              {"status":"firing","labels":{"alertname":"HighErrorRate","service":"checkout","namespace":"shop","severity":"critical"},
               "annotations":{"summary":"5xx above 5% for 5m","runbook_url":"https://runbooks/high-error-rate"},
               "startsAt":"2026-11-22T18:40:12.345678901Z","endsAt":"0001-01-01T00:00:00Z",
               "generatorURL":"http://prometheus:9090/graph?g0.expr=errors","fingerprint":"c1a2b3d4e5f60718"},
              {"status":"resolved","labels":{"alertname":"PodCrashLooping","service":"payments","namespace":"shop","severity":"warning"},
               "annotations":{"summary":"pod restarted 4 times"},
               "startsAt":"2026-11-22T18:20:00Z","endsAt":"2026-11-22T18:41:00+01:00",
               "generatorURL":"","fingerprint":"0f1e2d3c4b5a6978"}],
             "groupLabels":{"alertname":"HighErrorRate"},"commonLabels":{"namespace":"shop"},"commonAnnotations":{},
             "externalURL":"http://alertmanager:9093","version":"4",
             "groupKey":"{}:{alertname=\\"HighErrorRate\\"}","truncatedAlerts":0}
            """;

    static final String DRIFT_REPORT = """
            {"model":"fraud-scorer","modelVersion":"2026.11.3","service":"fraud-api","namespace":"payments",
             "datasetDrift":true,"driftShare":0.42,"featureScores":{"amount":0.31,"country":0.12},
             "accuracy":0.81,"referenceAccuracy":0.93,"timestamp":"2026-11-22T18:00:00Z"}
            """;

    static String pagerDuty(String eventType, String eventId, String incidentKey) {
        return """
                {"event":{"id":"%s","event_type":"%s","resource_type":"incident",
                  "occurred_at":"2026-11-22T18:45:22.169Z",
                  "agent":{"html_url":"https://acme.pagerduty.com/users/PLH1HKV","id":"PLH1HKV","type":"user_reference"},
                  "client":null,
                  "data":{"id":"Q2OL3JJ9RJLRRL","type":"incident","number":42,"status":"acknowledged",
                          "incident_key":"%s","title":"HighErrorRate on checkout"}}}
                """.formatted(eventId, eventType, incidentKey);
    }
}
