package io.runstream.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Supplier;

import io.runstream.common.config.ConfigException;
import io.runstream.common.config.ConfigLoader;
import io.runstream.processor.rules.RulesFileException;
import io.runstream.processor.rules.RulesFiles;
import io.runstream.processor.rules.RunbooksFiles;
import io.runstream.processor.runbook.Runbooks;
import io.runstream.workers.ActionWorkersConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code runstream validate}: checks a rules file and a runbooks file without starting anything, so a change can
 * be checked in CI before it is deployed. Exit code 0 when both are valid, 1 when either has problems (all of
 * them printed, each with its line), 2 for usage errors. With runbooks (the file, or the built-in ones when only
 * the workers' configuration is given) it also runs the {@link EscalationLint} against the action workers'
 * configuration and prints a warning for each step whose channel they cannot reach; warnings do not fail.
 */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Validate a rules file and/or a runbooks file; print every problem with its line.",
            "With runbooks, also warn of each escalation or runbook step whose channel the action workers' "
                + "configuration (--workers-config, plus this environment's RUNSTREAM_* variables) cannot reach."})
public final class ValidateCommand implements Callable<Integer> {

    @Option(names = "--rules", paramLabel = "FILE", description = "Rules file (detection rules, dedup, correlation, "
            + "severity).")
    Path rules;

    @Option(names = "--runbooks", paramLabel = "FILE", description = "Runbooks file (runbooks, escalation, recovery).")
    Path runbooks;

    @Option(names = "--workers-config", paramLabel = "FILE", description = "The action workers' configuration file "
            + "(default: their built-in defaults); RUNSTREAM_* variables of this environment apply on top, as in the "
            + "workers. Checked for the notification channels the runbooks use.")
    Path workersConfig;

    /** The environment the workers' configuration is read with; a field so tests can give their own. */
    Map<String, String> environment = System.getenv();

    @Override
    public Integer call() {
        if (rules == null && runbooks == null && workersConfig == null) {
            System.err.println("Give --rules FILE, --runbooks FILE and/or --workers-config FILE.");
            return 2;
        }
        List<String> problems = new ArrayList<>();
        if (rules != null) {
            check(rules, problems, () -> RulesFiles.load(rules), file -> file.rules().size() + " rules");
        }
        Runbooks linted = runbooks != null
                ? check(runbooks, problems, () -> RunbooksFiles.load(runbooks), file -> file.runbooks().size()
                        + " runbooks")
                : workersConfig != null ? RunbooksFiles.load(null) : null;
        if (workersConfig != null && !Files.isReadable(workersConfig)) {
            problems.add(workersConfig + ": cannot be read");
        } else if (linted != null) {
            lint(linted, problems);
        }
        problems.forEach(System.out::println);
        return problems.isEmpty() ? 0 : 1;
    }

    /** Warns of each step whose channel the workers cannot reach; a workers' configuration that fails is a problem. */
    private void lint(Runbooks file, List<String> problems) {
        ActionWorkersConfig workers;
        try {
            workers = new ConfigLoader().load(ActionWorkersConfig.class, ActionWorkersConfig.DEFAULTS, workersConfig,
                    environment);
        } catch (ConfigException e) {
            problems.add((workersConfig == null ? "the action workers' configuration" : workersConfig.toString())
                    + ": " + e.getMessage());
            return;
        }
        List<EscalationLint.Finding> findings = EscalationLint.check(file, workers.notifications());
        String against = (workersConfig == null ? "the action workers' defaults" : workersConfig.toString())
                + " and this environment's RUNSTREAM_* variables";
        if (findings.isEmpty()) {
            System.out.println("notification channels: every one the runbooks use is configured in " + against);
            return;
        }
        System.out.println("notification channels: " + findings.size() + " use(s) of channels " + against
                + " leave unconfigured; the workers answer them channel_not_configured (or deliver them to their "
                + "local inbox when notifications.inbox.enabled is true):");
        findings.forEach(finding -> System.out.println(finding.warning()));
    }

    /** The loaded file, printed valid with its summary; null (and its problems added) when it is not. */
    private static <T> T check(Path file, List<String> problems, Supplier<T> load, Function<T, String> summary) {
        if (!Files.isReadable(file)) {
            problems.add(file + ": cannot be read");
            return null;
        }
        try {
            T loaded = load.get();
            System.out.println(file + ": valid (" + summary.apply(loaded) + ")");
            return loaded;
        } catch (RulesFileException e) {
            problems.addAll(e.problems());
            return null;
        }
    }
}
