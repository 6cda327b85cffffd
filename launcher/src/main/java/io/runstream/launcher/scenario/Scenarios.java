package io.runstream.launcher.scenario;

import java.util.List;
import java.util.Optional;

/** The built-in scenarios, by name. */
public final class Scenarios {

    private static final List<Scenario> ALL = List.of(new BadRollout(), new LatencySaturation(), new ModelDrift(),
            new FlappingAlert());

    private Scenarios() {
    }

    public static List<Scenario> all() {
        return ALL;
    }

    public static List<String> names() {
        return ALL.stream().map(Scenario::name).toList();
    }

    public static Optional<Scenario> named(String name) {
        return ALL.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
