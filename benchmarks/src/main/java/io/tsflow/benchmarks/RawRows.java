package io.tsflow.benchmarks;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.time.Duration;

/** How many rows a benchmark left in a keyspace's raw table, to check it stored every point. */
public final class RawRows {

    private RawRows() {}

    public static long count(CqlSession session, String keyspace) {
        return session.execute(
                        SimpleStatement.newInstance(
                                        "SELECT count(*) FROM " + keyspace + ".observations_raw")
                                .setTimeout(Duration.ofMinutes(2)))
                .one()
                .getLong(0);
    }
}
