#!/usr/bin/env bash
# Starts and stops the real local servers tsflow runs against: a Kafka broker (KRaft), a Cassandra node, a
# schema registry (Apicurio, Confluent-compatible API) with a basic-auth gate in front of it (Debian's nginx), a
# Prometheus Alertmanager (Debian's package) and a standalone Flink session cluster (JobManager and TaskManager
# JVMs). Debian packages are installed with apt-get on first use. Idempotent: `start` leaves a healthy running
# server alone, `stop` is a no-op for a stopped one. Everything lives under $TSFLOW_STATE_DIR (default:
# <repo>/.tsflow); the TLS key pair and the passwords under its secrets/ directory.
#
#   scripts/services.sh start [kafka|cassandra|registry|registry-auth|alertmanager|flink ...]   (default: all)
#   scripts/services.sh stop  [kafka|cassandra|registry|registry-auth|alertmanager|flink ...]
#   scripts/services.sh resume [kafka|cassandra ...]   start again on the data a stop left (fault tests); start
#                                                       begins with empty data
#   scripts/services.sh freeze|thaw [SERVICE ...]       stop answering (SIGSTOP), and go on (SIGCONT), keeping all
#                                                       state, as for a registry that keeps its schemas in memory
#   scripts/services.sh status
#   scripts/services.sh env      prints the addresses and the credential variables as shell exports
set -euo pipefail

REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE_DIR="${TSFLOW_STATE_DIR:-$REPO_DIR/.tsflow}"
LIB_DIR="$STATE_DIR/lib"
RUN_DIR="$STATE_DIR/run"
LOG_DIR="$STATE_DIR/logs"
DATA_DIR="$STATE_DIR/data"

KAFKA_PORT="${TSFLOW_KAFKA_PORT:-19092}"
KAFKA_CONTROLLER_PORT="${TSFLOW_KAFKA_CONTROLLER_PORT:-19093}"
KAFKA_SECURE_PORT="${TSFLOW_KAFKA_SECURE_PORT:-19097}"
CASSANDRA_PORT="${TSFLOW_CASSANDRA_PORT:-19042}"
CASSANDRA_STORAGE_PORT="${TSFLOW_CASSANDRA_STORAGE_PORT:-19700}"
REGISTRY_PORT="${TSFLOW_REGISTRY_PORT:-18081}"
REGISTRY_AUTH_PORT="${TSFLOW_REGISTRY_AUTH_PORT:-18083}"
ALERTMANAGER_PORT="${TSFLOW_ALERTMANAGER_PORT:-19094}"
FLINK_REST_PORT="${TSFLOW_FLINK_REST_PORT:-18082}"
FLINK_RPC_PORT="${TSFLOW_FLINK_RPC_PORT:-16123}"
FLINK_METRICS_PORTS="${TSFLOW_FLINK_METRICS_PORTS:-19250-19251}"
SECRETS_DIR="$STATE_DIR/secrets"
ALL_SERVICES=(kafka cassandra registry registry-auth alertmanager flink)

# Cassandra 5.0.4 does not run on newer JDKs: prefer an installed Java 17.
java_bin() {
  for candidate in "${JAVA17_HOME:-}" /usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/java-17-openjdk; do
    if [[ -n "$candidate" && -x "$candidate/bin/java" ]]; then echo "$candidate/bin/java"; return; fi
  done
  command -v java
}

log() { printf '[services] %s\n' "$*" >&2; }

pid_of() { cat "$RUN_DIR/$1.pid" 2>/dev/null || true; }

is_running() {
  local pid; pid="$(pid_of "$1")"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# wait_for NAME SECONDS CHECK...: polls CHECK until it succeeds, failing early if the process died.
wait_for() {
  local name="$1" seconds="$2"; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@"; do
    if ! is_running "$name"; then
      log "$name exited during start-up; last log lines:"; tail -n 30 "$LOG_DIR/$name.log" >&2 || true
      return 1
    fi
    if (( SECONDS >= deadline )); then
      log "$name not ready after ${seconds}s; last log lines:"; tail -n 30 "$LOG_DIR/$name.log" >&2 || true
      return 1
    fi
    sleep 0.3
  done
}

# The local servers are secured the way production ones are: Kafka has a SASL_SSL listener (SCRAM-SHA-512 over
# TLS) beside the plaintext one, Cassandra requires a password and accepts TLS, and the registry sits behind a
# basic-auth gate. The TLS key pair and every password are made here, once per state directory, and live only
# under $SECRETS_DIR (never committed, never printed).
random_secret() { od -An -N16 -tx1 /dev/urandom | tr -d ' \n'; }

secret_file() { # secret_file NAME: the file holding secret NAME, made on first use
  local file="$SECRETS_DIR/$1"
  if [[ ! -s "$file" ]]; then (umask 077; random_secret >"$file"); fi
  echo "$file"
}

ensure_secrets() {
  mkdir -p "$SECRETS_DIR"; chmod 700 "$SECRETS_DIR"
  local store_password; store_password="$(cat "$(secret_file tls-store-password)")"
  secret_file kafka-password >/dev/null; secret_file cassandra-password >/dev/null
  secret_file cassandra-admin-password >/dev/null; secret_file registry-password >/dev/null
  secret_file cassandra-reader-password >/dev/null
  if [[ ! -s "$SECRETS_DIR/server.p12" ]]; then
    # One self-signed server certificate for 127.0.0.1, and a truststore that trusts it: what the clients get.
    keytool -genkeypair -alias tsflow-local -keyalg EC -groupname secp256r1 -validity 3650 \
      -dname "CN=tsflow-local" -ext "SAN=IP:127.0.0.1,DNS:localhost" -storetype PKCS12 \
      -keystore "$SECRETS_DIR/server.p12" -storepass "$store_password" >/dev/null 2>&1
    keytool -exportcert -alias tsflow-local -keystore "$SECRETS_DIR/server.p12" -storepass "$store_password" \
      -rfc -file "$SECRETS_DIR/server.crt" >/dev/null 2>&1
    rm -f "$SECRETS_DIR/truststore.p12"
    keytool -importcert -noprompt -alias tsflow-local -file "$SECRETS_DIR/server.crt" -storetype PKCS12 \
      -keystore "$SECRETS_DIR/truststore.p12" -storepass "$store_password" >/dev/null 2>&1
  fi
}

fetch_jars() {
  local name="$1"
  if [[ -f "$LIB_DIR/$name/.complete" ]]; then return; fi
  log "fetching $name jars from Maven Central (first run only)"
  rm -rf "${LIB_DIR:?}/$name"
  mvn -q -B -f "$REPO_DIR/tools/servers/$name/pom.xml" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$LIB_DIR/$name"
  touch "$LIB_DIR/$name/.complete"
}

fetch_registry() {
  if [[ -f "$LIB_DIR/apicurio/.complete" ]]; then return; fi
  log "fetching Apicurio Registry from Maven Central (first run only)"
  rm -rf "${LIB_DIR:?}/apicurio" "$STATE_DIR/download"
  mvn -q -B -f "$REPO_DIR/tools/servers/registry/pom.xml" dependency:copy -DoutputDirectory="$STATE_DIR/download"
  mkdir -p "$LIB_DIR/apicurio"
  (cd "$LIB_DIR/apicurio" && "$(dirname "$(java_bin)")/jar" xf "$STATE_DIR"/download/apicurio-registry-app-*.zip)
  touch "$LIB_DIR/apicurio/.complete"
}

launch() { # launch NAME COMMAND...: runs a server in the background with its own log and pid file
  local name="$1"; shift
  mkdir -p "$RUN_DIR" "$LOG_DIR"
  nohup "$@" >"$LOG_DIR/$name.log" 2>&1 </dev/null &
  echo $! >"$RUN_DIR/$name.pid"
}

kafka_ready() { grep -q "Kafka Server started" "$LOG_DIR/kafka.log" 2>/dev/null && port_open "$KAFKA_PORT"; }

start_kafka() {
  fetch_jars kafka
  ensure_secrets
  local dir="$DATA_DIR/kafka" conf="$STATE_DIR/conf/kafka"
  [[ -n "${KEEP_DATA:-}" ]] || rm -rf "$dir"
  mkdir -p "$dir" "$conf"
  (umask 077; cat >"$conf/server.properties") <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT,SASL_SSL://127.0.0.1:$KAFKA_SECURE_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,SASL_SSL://127.0.0.1:$KAFKA_SECURE_PORT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SASL_SSL:SASL_SSL
inter.broker.listener.name=PLAINTEXT
sasl.enabled.mechanisms=SCRAM-SHA-512,SCRAM-SHA-256
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
ssl.keystore.type=PKCS12
ssl.keystore.location=$SECRETS_DIR/server.p12
ssl.keystore.password=$(cat "$SECRETS_DIR/tls-store-password")
log.dirs=$dir
num.partitions=2
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=4
group.initial.rebalance.delay.ms=0
PROPS
  cat >"$conf/log4j.properties" <<PROPS
log4j.rootLogger=WARN, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.server.KafkaRaftServer=INFO
PROPS
  local java cp
  java="$(java_bin)"; cp="$LIB_DIR/kafka/*"
  if [[ ! -f "$dir/meta.properties" ]]; then
    local cluster_id; cluster_id="$("$java" -cp "$cp" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1)"
    # The SCRAM user the jobs log in as on the SASL_SSL listener, stored with the cluster's first metadata. It has
    # SCRAM-SHA-512 credentials only: a SCRAM-SHA-256 login with its password is refused like a wrong password.
    "$java" -cp "$cp" -Dlog4j.configuration="file:$conf/log4j.properties" kafka.tools.StorageTool format \
      -t "$cluster_id" -c "$conf/server.properties" \
      --add-scram "SCRAM-SHA-512=[name=tsflow,password=$(cat "$SECRETS_DIR/kafka-password")]" >/dev/null
  fi
  launch kafka "$java" -Xms256m -Xmx512m -XX:+UseG1GC -cp "$cp" \
    -Dlog4j.configuration="file:$conf/log4j.properties" kafka.Kafka "$conf/server.properties"
  wait_for kafka 60 kafka_ready
}

cassandra_ready() { grep -q "Startup complete" "$LOG_DIR/cassandra.log" 2>/dev/null && port_open "$CASSANDRA_PORT"; }

start_cassandra() {
  fetch_jars cassandra
  ensure_secrets
  local dir="$DATA_DIR/cassandra" conf="$STATE_DIR/conf/cassandra"
  [[ -n "${KEEP_DATA:-}" ]] || rm -rf "$dir"
  mkdir -p "$dir" "$conf"
  (umask 077; cat >"$conf/cassandra.yaml") <<YAML
cluster_name: tsflow-local
num_tokens: 1
partitioner: org.apache.cassandra.dht.Murmur3Partitioner
data_file_directories: [$dir/data]
commitlog_directory: $dir/commitlog
saved_caches_directory: $dir/saved_caches
hints_directory: $dir/hints
cdc_raw_directory: $dir/cdc_raw
commitlog_sync: periodic
commitlog_sync_period: 10000ms
seed_provider:
  - class_name: org.apache.cassandra.locator.SimpleSeedProvider
    parameters:
      - seeds: "127.0.0.1:$CASSANDRA_STORAGE_PORT"
listen_address: 127.0.0.1
rpc_address: 127.0.0.1
storage_port: $CASSANDRA_STORAGE_PORT
native_transport_port: $CASSANDRA_PORT
start_native_transport: true
endpoint_snitch: SimpleSnitch
authenticator: PasswordAuthenticator
authorizer: CassandraAuthorizer
client_encryption_options:
  enabled: true
  optional: true
  keystore: $SECRETS_DIR/server.p12
  keystore_password: $(cat "$SECRETS_DIR/tls-store-password")
  store_type: PKCS12
concurrent_writes: 32
YAML
  cat >"$conf/logback.xml" <<XML
<configuration>
  <appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender">
    <encoder><pattern>%date %level [%thread] %logger{20} %msg%n</pattern></encoder>
  </appender>
  <logger name="org.apache.cassandra.service.CassandraDaemon" level="INFO"/>
  <root level="WARN"><appender-ref ref="STDOUT"/></root>
</configuration>
XML
  launch cassandra "$(java_bin)" -Xms512m -Xmx512m -XX:+UseG1GC \
    -Djdk.attach.allowAttachSelf=true \
    --add-exports java.base/jdk.internal.misc=ALL-UNNAMED \
    --add-exports java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED \
    --add-exports java.rmi/sun.rmi.registry=ALL-UNNAMED \
    --add-exports java.rmi/sun.rmi.server=ALL-UNNAMED \
    --add-exports java.sql/java.sql=ALL-UNNAMED \
    --add-exports java.base/java.lang.ref=ALL-UNNAMED \
    --add-exports jdk.unsupported/sun.misc=ALL-UNNAMED \
    --add-exports jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED \
    --add-exports jdk.attach/sun.tools.attach=ALL-UNNAMED \
    --add-opens java.base/java.lang.module=ALL-UNNAMED \
    --add-opens java.base/jdk.internal.loader=ALL-UNNAMED \
    --add-opens java.base/jdk.internal.ref=ALL-UNNAMED \
    --add-opens java.base/jdk.internal.reflect=ALL-UNNAMED \
    --add-opens java.base/jdk.internal.math=ALL-UNNAMED \
    --add-opens java.base/jdk.internal.module=ALL-UNNAMED \
    --add-opens java.base/jdk.internal.util.jar=ALL-UNNAMED \
    --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED \
    --add-opens java.base/sun.nio.ch=ALL-UNNAMED \
    --add-opens java.base/java.io=ALL-UNNAMED \
    --add-opens java.base/java.lang.reflect=ALL-UNNAMED \
    --add-opens jdk.compiler/com.sun.tools.javac=ALL-UNNAMED \
    --add-opens java.base/java.lang=ALL-UNNAMED \
    --add-opens java.base/java.util=ALL-UNNAMED \
    -Dio.netty.tryReflectionSetAccessible=true \
    -Dcassandra.config="file://$conf/cassandra.yaml" \
    -Dlogback.configurationFile="$conf/logback.xml" \
    -Dcassandra-foreground=yes \
    -Dcassandra.storagedir="$dir" \
    -Dcassandra.unsafesystem=true -Dcassandra.skip_sync=true \
    -Dcassandra.test.flush_local_schema_changes=false -Dcassandra.superuser_setup_delay_ms=0 \
    -cp "$LIB_DIR/cassandra/*" org.apache.cassandra.service.CassandraDaemon
  wait_for cassandra 120 cassandra_ready
  # Every start, resumed data too: the roles and grants are idempotent, and data from an older
  # version of this script gets the ones it lacks.
  "$(java_bin)" -cp "$LIB_DIR/cassandra/*" -Dlogback.configurationFile="$conf/logback.xml" \
    "$REPO_DIR/scripts/tools/CassandraLocalRoles.java" \
    "$CASSANDRA_PORT" "$SECRETS_DIR" >>"$LOG_DIR/cassandra.log" 2>&1 \
    || { log "cannot set the Cassandra roles; last log lines:"; tail -n 30 "$LOG_DIR/cassandra.log" >&2; return 1; }
}

registry_ready() { curl -sf "http://127.0.0.1:$REGISTRY_PORT/apis/ccompat/v7/subjects" >/dev/null 2>&1; }

start_registry() {
  fetch_registry
  local jar; jar="$(find "$LIB_DIR/apicurio" -name "apicurio-registry-app-*-runner.jar" | head -n 1)"
  launch registry "$(java_bin)" -Xmx512m -Dquarkus.http.port="$REGISTRY_PORT" -Dquarkus.http.host=127.0.0.1 \
    -Dquarkus.log.level=WARN -jar "$jar"
  wait_for registry 90 registry_ready
}

# install_debian_package PACKAGE BINARY: apt-get install, once. The package's own service must not start:
# policy-rc.d answers 101 in containers, and we run our own.
install_debian_package() {
  local package="$1" binary="$2"
  if [[ -x "$binary" ]]; then return; fi
  log "installing Debian's $package (first run only)"
  mkdir -p "$LOG_DIR"
  local sudo=(); [[ "$(id -u)" == 0 ]] || sudo=(sudo -n)
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q "$package" >"$LOG_DIR/apt.log" 2>&1 \
    || { "${sudo[@]}" apt-get update -q >>"$LOG_DIR/apt.log" 2>&1 \
         && DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q "$package" >>"$LOG_DIR/apt.log" 2>&1; } \
    || { log "apt-get install $package failed:"; tail -n 20 "$LOG_DIR/apt.log" >&2; return 1; }
}

registry_auth_ready() {
  curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$REGISTRY_AUTH_PORT/apis/ccompat/v7/subjects" 2>/dev/null \
    | grep -q 401
}

# Apicurio Registry 2.x enforces authentication only through an OpenID Connect server (Keycloak). The registry's
# basic auth is therefore enforced the way it is often deployed: by a reverse proxy in front of it, here Debian's
# nginx, which asks for user tsflow and the password in $SECRETS_DIR/registry-password.
start_registry-auth() {
  install_debian_package nginx /usr/sbin/nginx
  ensure_secrets
  local conf="$STATE_DIR/conf/registry-auth"
  mkdir -p "$conf/temp" "$LOG_DIR"
  printf 'tsflow:%s\n' "$(openssl passwd -5 -stdin <"$SECRETS_DIR/registry-password")" >"$conf/htpasswd"
  cat >"$conf/nginx.conf" <<CONF
worker_processes 1;
pid $conf/nginx.pid;
error_log $LOG_DIR/registry-auth.log warn;
$([[ "$(id -u)" == 0 ]] && echo "user root;")
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path $conf/temp/body;
  proxy_temp_path $conf/temp/proxy;
  fastcgi_temp_path $conf/temp/fastcgi;
  uwsgi_temp_path $conf/temp/uwsgi;
  scgi_temp_path $conf/temp/scgi;
  client_max_body_size 16m;
  server {
    listen 127.0.0.1:$REGISTRY_AUTH_PORT;
    location / {
      auth_basic "tsflow schema registry";
      auth_basic_user_file $conf/htpasswd;
      proxy_pass http://127.0.0.1:$REGISTRY_PORT;
      proxy_set_header Authorization "";
    }
  }
}
CONF
  launch registry-auth /usr/sbin/nginx -p "$conf" -c "$conf/nginx.conf" -g 'daemon off;'
  wait_for registry-auth 30 registry_auth_ready
}

ALERTMANAGER_BIN=/usr/bin/prometheus-alertmanager

alertmanager_ready() { curl -sf "http://127.0.0.1:$ALERTMANAGER_PORT/-/ready" >/dev/null 2>&1; }

start_alertmanager() {
  install_debian_package prometheus-alertmanager "$ALERTMANAGER_BIN"
  local dir="$DATA_DIR/alertmanager" conf="$STATE_DIR/conf/alertmanager"
  rm -rf "$dir"; mkdir -p "$dir" "$conf"
  # One receiver that delivers nowhere: the tests and the local run read alerts back from the API. Short group
  # waits so that what the job posts is visible at once.
  cat >"$conf/alertmanager.yml" <<YAML
route:
  receiver: tsflow-local
  group_by: [alertname, rule]
  group_wait: 1s
  group_interval: 5s
  repeat_interval: 1h
receivers:
  - name: tsflow-local
YAML
  launch alertmanager "$ALERTMANAGER_BIN" --config.file="$conf/alertmanager.yml" --storage.path="$dir" \
    --web.listen-address="127.0.0.1:$ALERTMANAGER_PORT" --cluster.listen-address= --log.level=warn
  wait_for alertmanager 30 alertmanager_ready
}

# Flink's own list for Java 17 (the distribution's env.java.opts.all): without it DataStream jobs fail to submit.
FLINK_JVM_OPENS=(
  --add-exports=java.base/sun.net.util=ALL-UNNAMED --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED --add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED --add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.text=ALL-UNNAMED
  --add-opens=java.base/java.time=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED
)

flink_ready() {
  curl -sf "http://127.0.0.1:$FLINK_REST_PORT/overview" 2>/dev/null | grep -q '"taskmanagers":1'
}

flink_rest_up() { curl -sf "http://127.0.0.1:$FLINK_REST_PORT/overview" >/dev/null 2>&1; }

# bash_java_utils WHAT LINE: a line of what Flink's BashJavaUtils computes for the JM or TM memory set-up.
bash_java_utils() {
  "$(java_bin)" -cp "$LIB_DIR/flink/*" -Dlog4j2.configurationFile="$STATE_DIR/conf/flink/log4j.properties" \
    -Dlog.file="$LOG_DIR/flink-memory-setup.log" \
    org.apache.flink.runtime.util.bash.BashJavaUtils "$1" --configDir "$STATE_DIR/conf/flink" 2>/dev/null \
    | grep '^BASH_JAVA_UTILS_EXEC_RESULT:' | sed -n "${2}p" | sed 's/^BASH_JAVA_UTILS_EXEC_RESULT://'
}

# A standalone Flink 1.20.3 session cluster: one JobManager and one TaskManager (4 slots: one per tsflow job at
# the default parallelism 1), each its own JVM,
# from Maven Central jars (tools/servers/flink). The job jars are submitted to it by REST (tests) or the CLI.
start_flink() {
  fetch_jars flink
  local dir="$DATA_DIR/flink" conf="$STATE_DIR/conf/flink"
  rm -rf "$dir"; mkdir -p "$dir/checkpoints" "$dir/savepoints" "$dir/plugins" "$dir/web" "$conf" "$LOG_DIR"
  # The committed local configuration, its ${...} filled in.
  sed -e "s|\${FLINK_RPC_PORT}|$FLINK_RPC_PORT|g" -e "s|\${FLINK_REST_PORT}|$FLINK_REST_PORT|g" \
      -e "s|\${FLINK_METRICS_PORTS}|$FLINK_METRICS_PORTS|g" -e "s|\${FLINK_DATA_DIR}|$dir|g" \
      "$REPO_DIR/flink-conf/local/config.yaml" >"$conf/config.yaml"
  cat >"$conf/log4j.properties" <<PROPS
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = file
appender.file.name = file
appender.file.type = File
appender.file.fileName = \${sys:log.file}
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = %d{HH:mm:ss.SSS} %-5p %c{1} - %m%n
logger.kafka.name = org.apache.kafka
logger.kafka.level = WARN
PROPS
  # The jobs on this cluster get the local servers' credentials the way a deployment does: as *_FILE variables
  # naming secret files (Kubernetes secret volumes). A test looks for each of these secrets everywhere Flink
  # shows or logs things.
  ensure_secrets
  export_secret_variables
  local jm_jvm jm_dynamic tm_jvm tm_dynamic
  jm_jvm="$(bash_java_utils GET_JM_RESOURCE_PARAMS 1)"; jm_dynamic="$(bash_java_utils GET_JM_RESOURCE_PARAMS 2)"
  # shellcheck disable=SC2086
  FLINK_PLUGINS_DIR="$dir/plugins" launch flink "$(java_bin)" $jm_jvm "${FLINK_JVM_OPENS[@]}" \
    -Dlog.file="$LOG_DIR/flink-jm.log" -Dlog4j.configurationFile="file://$conf/log4j.properties" \
    -cp "$LIB_DIR/flink/*" org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint \
    --configDir "$conf" $jm_dynamic
  wait_for flink 60 flink_rest_up
  tm_jvm="$(bash_java_utils GET_TM_RESOURCE_PARAMS 1)"; tm_dynamic="$(bash_java_utils GET_TM_RESOURCE_PARAMS 2)"
  # shellcheck disable=SC2086
  FLINK_PLUGINS_DIR="$dir/plugins" launch flink-taskmanager "$(java_bin)" $tm_jvm "${FLINK_JVM_OPENS[@]}" \
    -Dlog.file="$LOG_DIR/flink-tm.log" -Dlog4j.configurationFile="file://$conf/log4j.properties" \
    -cp "$LIB_DIR/flink/*" org.apache.flink.runtime.taskexecutor.TaskManagerRunner \
    --configDir "$conf" $tm_dynamic
  wait_for flink-taskmanager 60 flink_ready
}

start_one() {
  local name="$1"
  if is_running "$name"; then log "$name already running (pid $(pid_of "$name"))"; return; fi
  local started=$SECONDS
  "start_$name"
  log "$name ready in $((SECONDS - started))s (pid $(pid_of "$name"))"
}

stop_one() {
  local name="$1" pid
  if [[ "$name" == flink ]]; then stop_one flink-taskmanager; fi
  pid="$(pid_of "$name")"
  if [[ -z "$pid" ]] || ! kill -0 "$pid" 2>/dev/null; then rm -f "$RUN_DIR/$name.pid"; return; fi
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  kill -KILL "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  rm -f "$RUN_DIR/$name.pid"
  log "$name stopped"
}

# The credentials of the local servers as the variables tsflow reads (see docs/configuration.md, "Secrets").
secret_variables() {
  echo "TSFLOW_KAFKA_USERNAME=tsflow"
  echo "TSFLOW_KAFKA_PASSWORD_FILE=$SECRETS_DIR/kafka-password"
  echo "TSFLOW_KAFKA_SSL_TRUSTSTORE_PASSWORD_FILE=$SECRETS_DIR/tls-store-password"
  echo "TSFLOW_CASSANDRA_USERNAME=tsflow"
  echo "TSFLOW_CASSANDRA_PASSWORD_FILE=$SECRETS_DIR/cassandra-password"
  echo "TSFLOW_CASSANDRA_READER_USERNAME=tsflow_reader"
  echo "TSFLOW_CASSANDRA_READER_PASSWORD_FILE=$SECRETS_DIR/cassandra-reader-password"
  echo "TSFLOW_CASSANDRA_TRUSTSTORE_PASSWORD_FILE=$SECRETS_DIR/tls-store-password"
  echo "TSFLOW_REGISTRY_USERNAME=tsflow"
  echo "TSFLOW_REGISTRY_PASSWORD_FILE=$SECRETS_DIR/registry-password"
}

export_secret_variables() {
  local line
  while read -r line; do export "${line?}"; done < <(secret_variables)
}

print_env() {
  echo "export TSFLOW_KAFKA_SECURE_BOOTSTRAP=127.0.0.1:$KAFKA_SECURE_PORT"
  echo "export TSFLOW_REGISTRY_AUTH_URL=http://127.0.0.1:$REGISTRY_AUTH_PORT/apis/ccompat/v7"
  echo "export TSFLOW_TLS_TRUSTSTORE=$SECRETS_DIR/truststore.p12"
  secret_variables | sed 's/^/export /'

  echo "export TSFLOW_KAFKA_BOOTSTRAP=127.0.0.1:$KAFKA_PORT"
  echo "export TSFLOW_CASSANDRA_CONTACT=127.0.0.1:$CASSANDRA_PORT"
  echo "export TSFLOW_REGISTRY_URL=http://127.0.0.1:$REGISTRY_PORT/apis/ccompat/v7"
  echo "export TSFLOW_ALERTMANAGER_URL=http://127.0.0.1:$ALERTMANAGER_PORT"
  echo "export TSFLOW_FLINK_REST_URL=http://127.0.0.1:$FLINK_REST_PORT"
  echo "export TSFLOW_FLINK_METRICS_PORTS=$FLINK_METRICS_PORTS"
  echo "export TSFLOW_STATE_DIR=$STATE_DIR"
}

command="${1:-status}"; shift || true
services=("$@"); [[ ${#services[@]} -gt 0 ]] || services=("${ALL_SERVICES[@]}")
case "$command" in
  start) for s in "${services[@]}"; do start_one "$s"; done ;;
  resume) KEEP_DATA=1; for s in "${services[@]}"; do start_one "$s"; done ;;
  freeze|thaw) # SIGSTOP/SIGCONT by PID: the server stops answering but keeps its state (fault tests)
    signal=STOP; [[ "$command" == thaw ]] && signal=CONT
    for s in "${services[@]}"; do
      is_running "$s" || { log "$s is not running"; exit 1; }
      kill -"$signal" "$(pid_of "$s")"; log "$s: SIG$signal sent (pid $(pid_of "$s"))"
    done ;;
  stop) for s in "${services[@]}"; do stop_one "$s"; done ;;
  status) for s in "${ALL_SERVICES[@]}"; do
            if is_running "$s"; then echo "$s running (pid $(pid_of "$s"))"; else echo "$s stopped"; fi
          done ;;
  env) print_env ;;
  *) echo "usage: $0 start|stop|resume|freeze|thaw|status|env [${ALL_SERVICES[*]// /|} ...]" >&2; exit 2 ;;
esac
