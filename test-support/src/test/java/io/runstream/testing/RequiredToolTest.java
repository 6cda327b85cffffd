package io.runstream.testing;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class RequiredToolTest {

    @Test
    void aMissingToolSkipsWithTheReasonWhereCiIsNotSet() {
        RequiredTool local = RequiredTool.withEnvironment(Map.<String, String>of()::get);

        assertThatThrownBy(() -> local.require(false, "promtool not on the PATH", "apt-get install prometheus"))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("promtool not on the PATH (apt-get install prometheus)");
    }

    @Test
    void aMissingToolFailsTheTestWhereCiIsSet() {
        RequiredTool ci = RequiredTool.withEnvironment(Map.of("CI", "true")::get);

        assertThatThrownBy(() -> ci.require(false, "promtool not on the PATH", "apt-get install prometheus"))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("CI is set").hasMessageContaining("promtool not on the PATH");
    }

    @Test
    void anInstalledToolLetsTheTestRunEverywhere() {
        RequiredTool ci = RequiredTool.withEnvironment(Map.of("CI", "true")::get);

        assertThatCode(() -> ci.require(true, "-", "-")).doesNotThrowAnyException();
        assertThatCode(() -> RequiredTool.onPath("-", "sh")).doesNotThrowAnyException();
    }
}
