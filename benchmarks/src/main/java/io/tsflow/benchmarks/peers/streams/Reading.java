package io.tsflow.benchmarks.peers.streams;

/** What the topology needs of an observation: its event time and numeric value. */
record Reading(long timestampMillis, double value) {}
