package io.tsflow.connectors.cassandra;

import com.datastax.oss.driver.api.core.cql.BoundStatement;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Statements waiting to be sent, grouped by the partition they write (their prepared statement and
 * partition key), so that the rows of one partition travel as one unlogged batch: one request, one
 * mutation on the replicas, routed to them by its key. Cassandra applies a single-partition batch
 * atomically and exempts it from the batch size limits, which exist for batches that span
 * partitions. Only statements that carry their own write timestamp in the CQL ({@code USING
 * TIMESTAMP ?}, see {@link WriteTimestamps}) are grouped: a batch has one protocol timestamp, and
 * rows of different elements need their own. Used from the task thread only.
 *
 * <p>When rows of a partition do not come close together (a fleet of series each reporting in
 * turn), holding them only costs: a drain of at least {@value #JUDGED_ROWS} rows that finds fewer
 * than two per partition stops the holding for the next {@value #PASSES} x {@code maxPendingRows}
 * rows, which go alone, then tries again.
 *
 * @param <E> what the writer keeps beside each statement
 */
final class PartitionBatches<E> {

    /** A statement and what its writer keeps beside it. */
    record Pending<E>(BoundStatement statement, E element) {}

    private record Partition(ByteBuffer preparedId, ByteBuffer routingKey) {}

    static final int JUDGED_ROWS = 1_000;
    static final int PASSES = 8;

    private final int batchRows;
    private final int maxPendingRows;
    private final Map<Partition, List<Pending<E>>> groups = new HashMap<>();
    private int pendingRows;
    private long rowsToPass;

    /**
     * @param batchRows the rows of one batch: a partition that has that many is sent at once
     * @param maxPendingRows the rows held in all, after which {@link #isFull()} says to send all
     */
    PartitionBatches(int batchRows, int maxPendingRows) {
        this.batchRows = batchRows;
        this.maxPendingRows = maxPendingRows;
    }

    /**
     * Offers a stamped statement: null if it goes alone now (batches are off, it has no partition
     * key or no timestamp of its own in its CQL, or holding is paused), an empty list if it is
     * held, or its partition's rows, itself included, once they are {@code batchRows}, to be sent.
     */
    List<Pending<E>> offer(BoundStatement statement, E element) {
        if (batchRows <= 1 || !WriteTimestamps.carriesOwnTimestamp(statement)) {
            return null;
        }
        ByteBuffer routingKey = statement.getRoutingKey();
        if (routingKey == null) {
            return null;
        }
        if (rowsToPass > 0) {
            rowsToPass--;
            return null;
        }
        Partition partition = new Partition(statement.getPreparedStatement().getId(), routingKey);
        List<Pending<E>> group = groups.computeIfAbsent(partition, key -> new ArrayList<>());
        group.add(new Pending<>(statement, element));
        pendingRows++;
        if (group.size() < batchRows) {
            return List.of();
        }
        groups.remove(partition);
        pendingRows -= group.size();
        return group;
    }

    /** Whether the rows held reached the limit: time to {@link #drain()}. */
    boolean isFull() {
        return pendingRows >= maxPendingRows;
    }

    /** Every partition's rows held, each to be sent; none are held after. */
    List<List<Pending<E>>> drain() {
        List<List<Pending<E>>> all = new ArrayList<>(groups.values());
        if (pendingRows >= JUDGED_ROWS && pendingRows < 2 * groups.size()) {
            rowsToPass = (long) PASSES * maxPendingRows;
        }
        groups.clear();
        pendingRows = 0;
        return all;
    }
}
