package io.tsflow.benchmarks;

/** Runs JMH with options that Maven's exec plugin passes as a single argument. */
public final class JmhLauncher {

    private JmhLauncher() {}

    public static void main(String[] args) throws Exception {
        org.openjdk.jmh.Main.main(String.join(" ", args).trim().split("\\s+"));
    }
}
