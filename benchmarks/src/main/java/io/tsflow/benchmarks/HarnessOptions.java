package io.tsflow.benchmarks;

import java.util.List;

/**
 * The options of a harness, which {@code exec:exec} passes as one argument: {@code --name=value} or
 * {@code --name=a,b,c}, separated by spaces.
 */
public final class HarnessOptions {

    private final String[] options;

    private HarnessOptions(String[] options) {
        this.options = options;
    }

    public static HarnessOptions parse(String[] args) {
        return new HarnessOptions(String.join(" ", args).trim().split("\\s+"));
    }

    /** The value of {@code --name=...}, or {@code otherwise}. */
    public String text(String name, String otherwise) {
        String prefix = "--" + name + "=";
        for (String option : options) {
            if (option.startsWith(prefix)) {
                return option.substring(prefix.length());
            }
        }
        return otherwise;
    }

    public long number(String name, long otherwise) {
        return Long.parseLong(text(name, Long.toString(otherwise)));
    }

    public List<String> texts(String name, List<String> otherwise) {
        String value = text(name, null);
        return value == null ? otherwise : List.of(value.split(","));
    }

    public List<Integer> numbers(String name, List<Integer> otherwise) {
        String value = text(name, null);
        return value == null
                ? otherwise
                : List.of(value.split(",")).stream().map(Integer::parseInt).toList();
    }
}
