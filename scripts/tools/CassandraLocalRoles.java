import com.datastax.driver.core.Cluster;
import com.datastax.driver.core.Session;
import com.datastax.driver.core.exceptions.AuthenticationException;
import com.datastax.driver.core.exceptions.NoHostAvailableException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Sets the local Cassandra node's roles after a start with PasswordAuthenticator and
 * CassandraAuthorizer: the role the jobs and tests log in as (tsflow, not a superuser, all
 * permissions on keyspaces), a read-only role for the query service (tsflow_reader, SELECT only),
 * and a new password for the built-in superuser, whose well-known default must not keep working. Run by scripts/services.sh with the node's own jars
 * (driver 3), so it needs no build:
 *
 * <pre>java -cp 'cassandra-jars/*' CassandraLocalRoles.java PORT SECRETS_DIR</pre>
 */
public class CassandraLocalRoles {

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path secrets = Path.of(args[1]);
        String tsflowPassword = Files.readString(secrets.resolve("cassandra-password")).strip();
        String adminPassword = Files.readString(secrets.resolve("cassandra-admin-password")).strip();
        String readerPassword = Files.readString(secrets.resolve("cassandra-reader-password")).strip();
        // The node creates the default superuser shortly after "Startup complete": retry until it
        // exists, for at most a minute. On data kept from an earlier start (a resume) the
        // superuser already has its new password: both are tried, and every statement is
        // idempotent.
        long deadline = System.nanoTime() + 60_000_000_000L;
        for (int attempt = 0; ; attempt++) {
            String password = attempt % 2 == 0 ? "cassandra" : adminPassword;
            try (Cluster cluster = cluster(port, "cassandra", password);
                    Session session = cluster.connect()) {
                session.execute(
                        "CREATE ROLE IF NOT EXISTS tsflow WITH LOGIN = true AND SUPERUSER = false"
                                + " AND PASSWORD = '" + tsflowPassword + "'");
                // The node checks permissions (CassandraAuthorizer): the jobs' role may do anything to
                // keyspaces, the query service's may only read them.
                session.execute("GRANT ALL PERMISSIONS ON ALL KEYSPACES TO tsflow");
                // Virtual tables are outside ALL KEYSPACES; the tests read who is connected, how.
                session.execute("GRANT SELECT ON TABLE system_views.clients TO tsflow");
                session.execute(
                        "CREATE ROLE IF NOT EXISTS tsflow_reader WITH LOGIN = true AND SUPERUSER = false"
                                + " AND PASSWORD = '" + readerPassword + "'");
                session.execute("GRANT SELECT ON ALL KEYSPACES TO tsflow_reader");
                session.execute(
                        "ALTER ROLE cassandra WITH PASSWORD = '" + adminPassword + "'");
                return;
            } catch (AuthenticationException | NoHostAvailableException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(500);
            }
        }
    }

    private static Cluster cluster(int port, String user, String password) {
        return Cluster.builder()
                .addContactPoint("127.0.0.1")
                .withPort(port)
                .withCredentials(user, password)
                .withoutMetrics()
                .withoutJMXReporting()
                .build();
    }
}
