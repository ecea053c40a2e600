package io.tsflow.benchmarks.peers;

/**
 * Where one peer run reads and writes: the shared input topic, and an output topic of its own (the
 * run's consumer group and transactional ids are named after it).
 */
public record PeerTopics(
        String bootstrap, String registryUrl, String observations, String output) {}
