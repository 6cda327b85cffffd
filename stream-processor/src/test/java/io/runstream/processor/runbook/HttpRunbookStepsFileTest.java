package io.runstream.processor.runbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

import io.runstream.avro.ActionType;
import io.runstream.processor.rules.RulesFileException;
import io.runstream.processor.rules.RunbooksFiles;

/** HTTP_REQUEST steps in a runbooks file: what is refused before anything runs, with the line that says so. */
class HttpRunbookStepsFileTest {

    @Test
    void readsAnHttpStepWithItsTemplatesAsTheWorkersWillReceiveThem() {
        Runbooks runbooks = RunbooksFiles.parse("runbooks.yaml", """
                runbooks:
                  - name: reset-circuits
                    match: {alerts: [CircuitBreakerOpen]}
                    steps:
                      - name: reset
                        action: HTTP_REQUEST
                        target: {kind: http, name: "{{label.api_endpoint}}"}
                        parameters:
                          url: "https://{{label.api_endpoint}}/api/v1/admin/reset-circuits"
                          tokenRef: circuit-reset
                          expectStatus: "2xx,409"
                          timeout: 5s
                          header.X-Request-Source: runstream
                """);

        RunbookStep step = runbooks.runbooks().get(0).steps().get(0);
        assertThat(step.action()).isEqualTo(ActionType.HTTP_REQUEST);
        assertThat(step.targetKind()).isEqualTo("http");
        assertThat(step.targetName()).isEqualTo("{{label.api_endpoint}}");
        assertThat(step.parameters()).containsEntry("tokenRef", "circuit-reset")
                .containsEntry("url", "https://{{label.api_endpoint}}/api/v1/admin/reset-circuits");
    }

    @Test
    void refusesHttpStepsThatTheWorkersWouldRefuseNamingEachLine() {
        String text = """
                runbooks:
                  - name: bad-http
                    match: {alerts: [CircuitBreakerOpen]}
                    steps:
                      - name: wrong-kind
                        action: HTTP_REQUEST
                        target: {kind: Deployment, name: "{{label.api_endpoint}}"}
                        parameters: {url: "http://{{label.api_endpoint}}/api/v1/admin/reset-circuits"}
                      - name: other-host
                        action: HTTP_REQUEST
                        target: {kind: http, name: "{{label.api_endpoint}}"}
                        parameters: {url: "http://{{label.triton_host}}/v2/repository/models/m/load"}
                      - name: no-scheme
                        action: HTTP_REQUEST
                        target: {kind: http, name: "{{label.api_endpoint}}"}
                        parameters: {url: "{{label.api_endpoint}}/api/v1/admin/reset-circuits", method: PATCH}
                      - name: token-in-step
                        action: HTTP_REQUEST
                        target: {kind: http, name: "api:8080"}
                        parameters:
                          url: "http://ops:hunter2@api:8080/reset"
                          header.Authorization: "Bearer abc"
                          tokenRef: "{{label.token}}"
                          retries: "3"
                          expectStatus: "ok"
                          timeout: "soon"
                      - name: no-url
                        action: HTTP_REQUEST
                        target: {kind: http, name: "api:8080"}
                """;

        assertThatThrownBy(() -> RunbooksFiles.parse("runbooks.yaml", text))
                .isInstanceOfSatisfying(RulesFileException.class, e -> assertThat(e.problems()).containsExactly(
                        "runbooks.yaml line 7, column 17: runbooks[0].steps[0].target: bad-http step wrong-kind: "
                                + "HTTP_REQUEST goes to target kind http (name: the url's host:port), not 'Deployment'",
                        "runbooks.yaml line 11, column 17: runbooks[0].steps[1].target: bad-http step other-host: "
                                + "target name '{{label.api_endpoint}}' must be the url's host:port "
                                + "'{{label.triton_host}}', by which the host's calls are kept in order",
                        "runbooks.yaml line 16, column 21: runbooks[0].steps[2].parameters: bad-http step no-scheme: "
                                + "url must start with http:// or https:// and a host, was "
                                + "'{{label.api_endpoint}}/api/v1/admin/reset-circuits'",
                        "runbooks.yaml line 16, column 21: runbooks[0].steps[2].parameters: bad-http step no-scheme: "
                                + "method must be GET, POST, PUT or DELETE, was 'PATCH'",
                        "runbooks.yaml line 21, column 11: runbooks[0].steps[3].parameters: bad-http step "
                                + "token-in-step: header.Authorization is set by the workers; name the token with "
                                + "tokenRef",
                        "runbooks.yaml line 21, column 11: runbooks[0].steps[3].parameters: bad-http step "
                                + "token-in-step: HTTP_REQUEST takes url, method, header.NAME, tokenRef, "
                                + "expectStatus, timeout and body, not retries",
                        "runbooks.yaml line 21, column 11: runbooks[0].steps[3].parameters: bad-http step "
                                + "token-in-step: url must not carry user info; name a token with tokenRef",
                        "runbooks.yaml line 21, column 11: runbooks[0].steps[3].parameters: bad-http step "
                                + "token-in-step: tokenRef names a secret of the workers' httpActions.secrets "
                                + "(letters, digits, '.', '_', '-'), not a token or a template",
                        "runbooks.yaml line 21, column 11: runbooks[0].steps[3].parameters: bad-http step "
                                + "token-in-step: expectStatus must be status codes or classes such as 2xx, "
                                + "comma-separated, was 'ok'",
                        "runbooks.yaml line 21, column 11: runbooks[0].steps[3].parameters: bad-http step "
                                + "token-in-step: timeout: 'soon' is not a duration; write e.g. 250ms, 30s, 5m, 2h, 1d",
                        "runbooks.yaml line 27, column 9: runbooks[0].steps[4].parameters: bad-http step no-url: "
                                + "HTTP_REQUEST needs a url"));
    }

    @Test
    void theBuiltInRunbooksResetCircuitsAndLoadTritonModelsOverHttp() {
        Runbooks builtIn = RunbooksFiles.load(null);

        assertThat(builtIn.runbooks()).filteredOn(r -> r.name().equals("circuit-breaker-open")).singleElement()
                .satisfies(r -> assertThat(r.steps()).extracting(RunbookStep::name, RunbookStep::action)
                        .containsExactly(Tuple.tuple("restart-dependency",
                                ActionType.ROLLOUT_RESTART), Tuple.tuple(
                                "reset-circuit-breakers", ActionType.HTTP_REQUEST)));
        assertThat(builtIn.runbooks()).filteredOn(r -> r.name().equals("reload-triton-model")).singleElement()
                .satisfies(r -> assertThat(r.steps()).extracting(RunbookStep::name, RunbookStep::action)
                        .containsExactly(Tuple.tuple("load-model", ActionType.HTTP_REQUEST),
                                Tuple.tuple("restart-triton", ActionType.ROLLOUT_RESTART)));
    }
}
