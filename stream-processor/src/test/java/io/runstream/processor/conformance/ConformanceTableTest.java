package io.runstream.processor.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Keeps docs/runbooks.md's conformance table true: every test it names exists (in any module), every
 * {@link Conformance} case of the suite is named in a row of its runbook, and a row without a test says why the
 * requirement is not automated.
 */
class ConformanceTableTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern TEST_REFERENCE = Pattern.compile("`([A-Z][A-Za-z0-9]*)#([a-z][A-Za-z0-9]*)`");
    private static final List<Class<?>> SUITE = List.of(Runbook000ConformanceTest.class,
            Runbook001ConformanceTest.class, Runbook002ConformanceTest.class, Runbook003ConformanceTest.class,
            Runbook004ConformanceTest.class);

    record Row(String requirement, String runbooks, String does, String tests) {
    }

    @Test
    void everyTestTheTableNamesExists() {
        Map<String, Optional<String>> sources = new HashMap<>();
        List<String> missing = new ArrayList<>();
        for (Row row : rows()) {
            Matcher reference = TEST_REFERENCE.matcher(row.tests());
            while (reference.find()) {
                String className = reference.group(1);
                String method = reference.group(2);
                Optional<String> source = sources.computeIfAbsent(className, ConformanceTableTest::source);
                if (source.isEmpty() || !source.get().contains(" " + method + "(")) {
                    missing.add(className + "#" + method);
                }
            }
        }
        assertThat(missing).as("tests named in docs/runbooks.md that do not exist").isEmpty();
    }

    @Test
    void everyConformanceCaseIsInTheTableUnderItsRunbook() {
        List<Row> rows = rows();
        List<String> unlisted = new ArrayList<>();
        for (Class<?> type : SUITE) {
            for (Method method : type.getDeclaredMethods()) {
                Conformance conformance = method.getAnnotation(Conformance.class);
                if (conformance == null) {
                    continue;
                }
                String reference = "`" + type.getSimpleName() + "#" + method.getName() + "`";
                boolean listed = rows.stream().anyMatch(row -> row.tests().contains(reference)
                        && row.runbooks().contains(conformance.runbook()));
                if (!listed) {
                    unlisted.add(reference + " (runbook " + conformance.runbook() + ")");
                }
            }
        }
        assertThat(unlisted).as("conformance cases missing from docs/runbooks.md's table").isEmpty();
    }

    @Test
    void everyRowCitesARunbookAndATestOrWhyNot() {
        assertThat(rows()).hasSizeGreaterThan(40).allSatisfy(row -> {
            assertThat(row.runbooks()).as(row.requirement()).containsPattern("00[0-4], ");
            assertThat(TEST_REFERENCE.matcher(row.tests()).find() || row.does().startsWith("not automated"))
                    .as("%s: a test, or 'not automated' with the reason", row.requirement()).isTrue();
        });
    }

    private static List<Row> rows() {
        String doc = read(ROOT.resolve("docs/runbooks.md"));
        int section = doc.indexOf("\n## Conformance\n");
        assertThat(section).as("docs/runbooks.md has a '## Conformance' section").isPositive();
        List<Row> rows = new ArrayList<>();
        for (String line : doc.substring(section).split("\n")) {
            if (!line.startsWith("| ") || line.startsWith("| requirement ")) {
                continue;
            }
            String[] cells = line.split(" \\| ", -1);
            assertThat(cells).as("four cells: %s", line).hasSize(4);
            rows.add(new Row(cells[0].substring(2).trim(), cells[1].trim(), cells[2].trim(),
                    cells[3].replaceAll("\\|\\s*$", "").trim()));
        }
        return rows;
    }

    private static Optional<String> source(String className) {
        try (Stream<Path> files = Files.walk(ROOT)) {
            return files.filter(path -> path.getFileName().toString().equals(className + ".java"))
                    .filter(path -> path.toString().contains("/src/test/java/"))
                    .findFirst().map(ConformanceTableTest::read);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
