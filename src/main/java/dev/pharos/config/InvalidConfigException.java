package dev.pharos.config;

import java.util.List;
import java.util.stream.Collectors;

/** The configuration is invalid; start-up stops with one line per problem. */
public class InvalidConfigException extends RuntimeException {
    private final List<ConfigProblem> problems;

    public InvalidConfigException(List<ConfigProblem> problems) {
        super(
                "invalid configuration: "
                        + problems.stream()
                                .map(ConfigProblem::toString)
                                .collect(Collectors.joining("; ")));
        this.problems = List.copyOf(problems);
    }

    public List<ConfigProblem> problems() {
        return problems;
    }
}
