package io.runstream.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import io.runstream.processor.rules.RulesFile;
import io.runstream.processor.rules.RulesFileException;
import io.runstream.processor.rules.RulesFiles;
import io.runstream.processor.rules.RunbooksFiles;
import io.runstream.processor.runbook.Runbooks;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code runstream validate}: checks a rules file and a runbooks file without starting anything, so a change can
 * be checked in CI before it is deployed. Exit code 0 when both are valid, 1 when either has problems (all of
 * them printed, each with its line), 2 for usage errors.
 */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Validate a rules file and/or a runbooks file; print every problem with its line.")
public final class ValidateCommand implements Callable<Integer> {

    @Option(names = "--rules", paramLabel = "FILE", description = "Rules file (detection rules, dedup, correlation, "
            + "severity).")
    Path rules;

    @Option(names = "--runbooks", paramLabel = "FILE", description = "Runbooks file (runbooks, escalation, recovery).")
    Path runbooks;

    @Override
    public Integer call() {
        if (rules == null && runbooks == null) {
            System.err.println("Give --rules FILE and/or --runbooks FILE.");
            return 2;
        }
        List<String> problems = new ArrayList<>();
        if (rules != null) {
            check(rules, problems, () -> {
                RulesFile file = RulesFiles.load(rules);
                return file.rules().size() + " rules";
            });
        }
        if (runbooks != null) {
            check(runbooks, problems, () -> {
                Runbooks file = RunbooksFiles.load(runbooks);
                return file.runbooks().size() + " runbooks";
            });
        }
        problems.forEach(System.out::println);
        return problems.isEmpty() ? 0 : 1;
    }

    private interface Load {
        String summary();
    }

    private static void check(Path file, List<String> problems, Load load) {
        if (!Files.isReadable(file)) {
            problems.add(file + ": cannot be read");
            return;
        }
        try {
            System.out.println(file + ": valid (" + load.summary() + ")");
        } catch (RulesFileException e) {
            problems.addAll(e.problems());
        }
    }
}
