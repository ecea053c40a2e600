package io.tsflow.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.servererrors.UnauthorizedException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tsflow.common.config.ConfigException;
import io.tsflow.common.config.Secret;
import io.tsflow.common.series.SeriesKey;
import io.tsflow.connectors.cassandra.CassandraSettings;
import io.tsflow.schema.Observation;
import io.tsflow.schema.Origin;
import io.tsflow.storage.raw.RawObservationMapper;
import io.tsflow.storage.raw.RawTable;
import io.tsflow.storage.raw.StorageSettings;
import io.tsflow.storage.rollup.RollupTable;
import io.tsflow.testing.LocalServers;
import io.tsflow.testing.TestCassandra;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The query service over HTTP against the real Cassandra node, reading rows laid out as the jobs
 * write them: three rooms' raw points every 30 s from 23:00 on 31 October to 01:00 on 1 November
 * (two month shards), and their 1m and 1h rollups.
 */
class QueryServerTest {

    private static final String KEYSPACE = TestCassandra.uniqueKeyspace("query");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long START = Instant.parse("2026-10-31T23:00:00Z").getEpochSecond();
    private static final long END = START + 7_200;
    private static final String WHOLE_RANGE = "&from=" + START + "&until=" + END;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static final RawObservationMapper MAPPER =
            new RawObservationMapper(KEYSPACE, StorageSettings.defaults());

    /** Writes the fixture as the jobs' role. */
    private static CqlSession session;

    /** What the service reads with: the read-only role. */
    private static CqlSession reader;

    private static QueryServer server;

    @BeforeAll
    static void storeAndServe() throws Exception {
        CassandraSettings cassandra =
                CassandraSettings.local(LocalServers.get().cassandraContact(), KEYSPACE);
        RawTable.applySchema(cassandra);
        RollupTable.applySchema(cassandra);
        session = TestCassandra.session(LocalServers.get().cassandraContact());
        MAPPER.open(session);
        for (int room = 1; room <= 3; room++) {
            store(room);
        }
        write(point("room.humidity", Map.of("room", "r1"), START, 40.0));
        write(point("boiler.pressure", Map.of("site", "s1"), START, 1.5));
        QueryConfig config =
                new QueryConfig(
                        cassandra,
                        StorageSettings.defaults(),
                        List.of("1m", "1h"),
                        null,
                        0,
                        2,
                        null,
                        LocalServers.get().alertmanagerUrl(),
                        null);
        reader = TestCassandra.readerSession(LocalServers.get().cassandraContact());
        server = QueryServer.of(config, reader);
        server.start();
    }

    @AfterAll
    static void stop() {
        server.close();
        reader.close();
        session.execute("DROP KEYSPACE IF EXISTS " + KEYSPACE);
        session.close();
    }

    private static String key(int room) {
        return SeriesKey.of("room.temperature", new TreeMap<>(Map.of("room", "r" + room)));
    }

    /** Room n reads n + (seconds since START) / 3600 degrees. */
    private static double celsius(int room, long second) {
        return room + (second - START) / 3600.0;
    }

    /** Stores the room's points as ingest does, with the raw table's own mapper. */
    private static void store(int room) {
        for (long second = START; second < END; second += 30) {
            write(
                    point(
                            "room.temperature",
                            Map.of("room", "r" + room),
                            second,
                            celsius(room, second)));
        }
        storeBuckets(key(room), room, "1h", 3_600);
        storeBuckets(key(room), room, "1m", 60);
    }

    private static void write(Observation point) {
        MAPPER.statementsFor(point, session::execute);
    }

    private static Observation point(
            String metric, Map<String, String> tags, long second, double value) {
        return new Observation(
                SeriesKey.of(metric, new TreeMap<>(tags)),
                metric,
                tags,
                "tdouble",
                second * 1_000_000L,
                value,
                Origin.MEASURED,
                null);
    }

    /** The buckets of {@code interval} ({@code seconds} long) over the raw points above. */
    private static void storeBuckets(String series, int room, String interval, long seconds) {
        PreparedStatement bucket =
                session.prepare(
                        "INSERT INTO "
                                + KEYSPACE
                                + ".rollups (series_key, interval, shard, bucket_start_micros,"
                                + " count, min, max, mean, last_value, quantiles) VALUES (?, ?,"
                                + " '2026', ?, ?, ?, ?, ?, ?, ?)");
        for (long start = START; start < END; start += seconds) {
            double first = celsius(room, start);
            double last = celsius(room, start + seconds - 30);
            session.execute(
                    bucket.bind(
                            series,
                            interval,
                            start * 1_000_000L,
                            seconds / 30,
                            first,
                            last,
                            (first + last) / 2,
                            last,
                            Map.of(
                                    "p50",
                                    (first + last) / 2,
                                    "p90",
                                    first + 0.9 * (last - first))));
        }
    }

    private static HttpResponse<String> get(String parameters) throws Exception {
        return call("/render?" + parameters);
    }

    private static HttpResponse<String> call(String pathAndQuery) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + server.port() + pathAndQuery))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(String pathAndQuery) throws Exception {
        HttpResponse<String> response = call(pathAndQuery);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static String encoded(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static String target(String... terms) {
        List<String> quoted = new ArrayList<>();
        for (String term : terms) {
            quoted.add("'" + term + "'");
        }
        return "target="
                + URLEncoder.encode(
                        "seriesByTag(" + String.join(",", quoted) + ")", StandardCharsets.UTF_8);
    }

    private static JsonNode render(String parameters) throws Exception {
        HttpResponse<String> response = get(parameters);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    @Test
    void rawPointsAcrossTwoMonthShardsWhenTheyFitTheBudget() throws Exception {
        JsonNode series =
                render(
                        target("name=room.temperature", "room=~r[12]")
                                + WHOLE_RANGE
                                + "&maxDataPoints=1000");
        assertThat(series).hasSize(2);
        JsonNode r1 = series.get(0);
        assertThat(r1.get("target").asText()).isEqualTo(key(1));
        assertThat(r1.get("tags").get("name").asText()).isEqualTo("room.temperature");
        assertThat(r1.get("tags").get("room").asText()).isEqualTo("r1");
        assertThat(r1.get("level").asText()).isEqualTo("raw");
        JsonNode points = r1.get("datapoints");
        assertThat(points).hasSize(240);
        assertThat(points.get(0).get(1).asLong()).isEqualTo(START);
        assertThat(points.get(0).get(0).asDouble()).isEqualTo(1.0);
        assertThat(points.get(239).get(1).asLong()).isEqualTo(END - 30);
        assertThat(points.get(120).get(0).asDouble()).isEqualTo(celsius(1, START + 3_600));
        assertThat(series.get(1).get("tags").get("room").asText()).isEqualTo("r2");
    }

    @Test
    void theFinestRollupThatFitsWhenRawDoesNot() throws Exception {
        // 240 raw points and 120 minutes exceed 100: the hours fit.
        JsonNode series =
                render(target("room=r3") + WHOLE_RANGE + "&maxDataPoints=100&aggregate=max");
        assertThat(series).hasSize(1);
        assertThat(series.get(0).get("level").asText()).isEqualTo("1h");
        JsonNode points = series.get(0).get("datapoints");
        assertThat(points).hasSize(2);
        assertThat(points.get(1).get(1).asLong()).isEqualTo(START + 3_600);
        assertThat(points.get(1).get(0).asDouble()).isEqualTo(celsius(3, START + 3_600 + 3_570));

        // 200 fits the minutes.
        JsonNode minutes = render(target("room=r3") + WHOLE_RANGE + "&maxDataPoints=200");
        assertThat(minutes.get(0).get("level").asText()).isEqualTo("1m");
        assertThat(minutes.get(0).get("datapoints")).hasSize(120);

        // A forced level wins over the budget.
        JsonNode forced = render(target("room=r3") + WHOLE_RANGE + "&level=1h");
        assertThat(forced.get(0).get("level").asText()).isEqualTo("1h");
    }

    @Test
    void csvHasOneLinePerPoint() throws Exception {
        HttpResponse<String> response =
                get(
                        target("name=room.temperature", "room=r1")
                                + "&from="
                                + START
                                + "&until="
                                + (START + 60)
                                + "&format=csv");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/csv"));
        assertThat(response.body().split("\r\n"))
                .containsExactly(
                        "\"room.temperature{room=\"\"r1\"\"}\",2026-10-31 23:00:00,1.0",
                        "\"room.temperature{room=\"\"r1\"\"}\",2026-10-31 23:00:30,"
                                + celsius(1, START + 30));
    }

    @Test
    void badQueriesAreAnswered400WithTheReason() throws Exception {
        Map<String, String> expectations =
                Map.of(
                        "target=room.temperature",
                        "seriesByTag",
                        target("room!=r1"),
                        "at least one tag=value",
                        target("name=room.temperature", "room=~["),
                        "bad regular expression",
                        target("name=room.temperature") + WHOLE_RANGE,
                        "more than 2 series",
                        target("room=r1") + "&level=5m",
                        "no rollup level '5m'",
                        target("room=r1") + "&from=yesterday",
                        "cannot read time",
                        target("room=r1") + "&from=now&until=-1h",
                        "the range is empty",
                        target("room=r1") + "&aggregate=median",
                        "unknown aggregate",
                        target("room=r1") + "&format=xml",
                        "format");
        for (Map.Entry<String, String> expectation : expectations.entrySet()) {
            HttpResponse<String> response = get(expectation.getKey());
            assertThat(response.statusCode()).as(expectation.getKey()).isEqualTo(400);
            assertThat(JSON.readTree(response.body()).get("error").asText())
                    .as(expectation.getKey())
                    .contains(expectation.getValue());
        }
    }

    @Test
    void functionsApplyToTheFetchedSeries() throws Exception {
        JsonNode aliased =
                render(
                        "target="
                                + encoded(
                                        "aliasByTags(seriesByTag('name=room.temperature',"
                                                + "'room=~r[12]'),'room')")
                                + WHOLE_RANGE
                                + "&maxDataPoints=1000");
        assertThat(aliased)
                .extracting(node -> node.get("target").asText())
                .containsExactly("r1", "r2");
        JsonNode summed =
                render(
                        "target="
                                + encoded(
                                        "seriesByTag('name=room.temperature','room=~r[12]')"
                                                + "|groupByTags('sum','name')")
                                + WHOLE_RANGE
                                + "&level=1h");
        assertThat(summed).hasSize(1);
        assertThat(summed.get(0).get("target").asText()).isEqualTo("room.temperature");
        assertThat(summed.get(0).get("datapoints").get(0).get(0).asDouble())
                .isEqualTo(
                        (celsius(1, START) + celsius(1, START + 3_570)) / 2
                                + (celsius(2, START) + celsius(2, START + 3_570)) / 2);
    }

    @Test
    void metricNamesAndTagsAreListedForGrafanasEditor() throws Exception {
        String range = "&from=" + START + "&until=" + END;
        assertThat(json("/metrics/find?query=*" + range))
                .extracting(node -> node.get("id").asText() + ":" + node.get("leaf").asInt())
                .containsExactly("boiler:0", "room:0");
        JsonNode rooms = json("/metrics/find?query=room.*" + range);
        assertThat(rooms)
                .extracting(node -> node.get("text").asText() + ":" + node.get("leaf").asInt())
                .containsExactly("humidity:1", "temperature:1");
        assertThat(json("/metrics/find?query=" + encoded("room.{hum,temp}e*") + range)).hasSize(1);

        assertThat(json("/tags?" + range.substring(1)))
                .extracting(node -> node.get("tag").asText())
                .containsExactly("name", "room", "site");
        assertThat(json("/tags/autoComplete/tags?tagPrefix=r" + range))
                .extracting(JsonNode::asText)
                .containsExactly("room");
        assertThat(json("/tags/autoComplete/tags?expr=" + encoded("name=boiler.pressure") + range))
                .extracting(JsonNode::asText)
                .containsExactly("site");
        assertThat(json("/tags/autoComplete/values?tag=room" + range))
                .extracting(JsonNode::asText)
                .containsExactly("r1", "r2", "r3");
        assertThat(json("/tags/autoComplete/values?tag=name&valuePrefix=room" + range))
                .extracting(JsonNode::asText)
                .containsExactly("room.humidity", "room.temperature");
        assertThat(
                        json(
                                "/tags/autoComplete/values?tag=room&expr="
                                        + encoded("name=room.humidity")
                                        + range))
                .extracting(JsonNode::asText)
                .containsExactly("r1");
        assertThat(call("/tags/autoComplete/values").statusCode()).isEqualTo(400);
    }

    @Test
    void anExportStreamsEveryPointWhateverTheBudget() throws Exception {
        QueryExport export =
                new QueryExport(
                        new SeriesFinder(reader, KEYSPACE, false),
                        new PointReader(reader, KEYSPACE, false));
        TimeRange whole = new TimeRange(START * 1_000_000L, END * 1_000_000L);
        List<TagMatcher> rooms =
                TargetEvaluator.seriesByTagOnly("seriesByTag('name=room.temperature')");
        ByteArrayOutputStream csv = new ByteArrayOutputStream();
        long points =
                export.export(
                        new QueryExport.Request(rooms, whole, "csv", Level.RAW, Aggregate.MEAN),
                        csv);
        // Three rooms, more series than maxSeries (2) allows a render.
        assertThat(points).isEqualTo(3 * 240);
        String[] lines = csv.toString(StandardCharsets.UTF_8).split("\r\n");
        assertThat(lines).hasSize(1 + 3 * 240);
        assertThat(lines[0]).isEqualTo("series,time,value");
        assertThat(lines[1])
                .isEqualTo("\"room.temperature{room=\"\"r1\"\"}\",2026-10-31T23:00:00Z,1.0");
        assertThat(lines[3 * 240])
                .isEqualTo(
                        "\"room.temperature{room=\"\"r3\"\"}\",2026-11-01T00:59:30Z,"
                                + celsius(3, END - 30));

        ByteArrayOutputStream jsonl = new ByteArrayOutputStream();
        export.export(
                new QueryExport.Request(rooms, whole, "jsonl", Level.rollup("1h"), Aggregate.MAX),
                jsonl);
        List<JsonNode> hours = new ArrayList<>();
        for (String line : jsonl.toString(StandardCharsets.UTF_8).split("\n")) {
            hours.add(JSON.readTree(line));
        }
        assertThat(hours).hasSize(3 * 2);
        JsonNode first = hours.get(0);
        assertThat(first.get("series").asText()).isEqualTo(key(1));
        assertThat(first.get("tags").get("room").asText()).isEqualTo("r1");
        assertThat(first.get("level").asText()).isEqualTo("1h");
        assertThat(first.get("timestampMicros").asLong()).isEqualTo(START * 1_000_000L);
        assertThat(first.get("value").asDouble()).isEqualTo(celsius(1, START + 3_570));
    }

    @Test
    void eachSeriesListsTheAlertsFiringForIt() throws Exception {
        String rule = postAlert(key(2));
        JsonNode rooms =
                render(target("name=room.temperature", "room=~r[12]") + WHOLE_RANGE + "&level=1h");
        assertThat(rooms.get(0).get("alerts").findValuesAsText("rule")).doesNotContain(rule);
        assertThat(rooms.get(1).get("alerts").findValuesAsText("rule")).contains(rule);
        JsonNode sum =
                render(
                        "target="
                                + encoded(
                                        "sumSeries(seriesByTag('name=room.temperature',"
                                                + "'room=~r[12]'))")
                                + WHOLE_RANGE
                                + "&level=1h");
        assertThat(sum.get(0).get("alerts").findValuesAsText("series")).contains(key(2));
    }

    /** Posts a firing alert for {@code seriesKey} as the alerts job would; returns its rule. */
    private static String postAlert(String seriesKey) throws Exception {
        String rule = "query-test-" + System.nanoTime();
        Instant now = Instant.now();
        String alert =
                "[{\"labels\": {\"alertname\": \"TsflowStale\", \"rule\": \""
                        + rule
                        + "\", \"severity\": \"warning\"}, \"startsAt\": \""
                        + now
                        + "\", \"endsAt\": \""
                        + now.plusSeconds(600)
                        + "\", \"generatorURL\": \"http://tsflow/alerts?rule="
                        + rule
                        + "&series="
                        + encoded(seriesKey)
                        + "\"}]";
        HttpResponse<String> posted =
                HTTP.send(
                        HttpRequest.newBuilder(
                                        URI.create(
                                                LocalServers.get().alertmanagerUrl()
                                                        + "/api/v2/alerts"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(alert))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
        return rule;
    }

    /**
     * The page in Debian's headless Chromium: it draws the two rooms' raw points (the finest level
     * the budget of its width allows), says the level, and marks room 2's firing alert. The
     * screenshot is kept as target/screenshots/query-page.png.
     */
    @Test
    void thePageDrawsTheChosenSeriesInARealBrowser() throws Exception {
        String rule = postAlert(key(2));
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--window-size=1400,1000",
                "--user-data-dir=" + Files.createTempDirectory("chromium"));
        ChromeDriverService driverService =
                new ChromeDriverService.Builder()
                        .usingDriverExecutable(new File("/usr/bin/chromedriver"))
                        .usingAnyFreePort()
                        .build();
        WebDriver browser = new ChromeDriver(driverService, options);
        try {
            browser.get(
                    "http://127.0.0.1:"
                            + server.port()
                            + "/?"
                            + target("name=room.temperature", "room=~r[12]")
                            + WHOLE_RANGE
                            + "&aggregate=max");
            WebElement status = browser.findElement(By.id("status"));
            await().atMost(Duration.ofSeconds(30))
                    .until(
                            () ->
                                    !status.getAttribute("data-state").equals("loading")
                                            && !status.getAttribute("data-state").equals("idle"));
            assertThat(status.getAttribute("data-state")).as(status.getText()).isEqualTo("drawn");
            assertThat(status.getAttribute("data-series")).isEqualTo("2");
            // The budget is the chart's width (at least 400 points): 240 raw points a room fit.
            List<WebElement> items = browser.findElements(By.cssSelector("#series li"));
            assertThat(items)
                    .extracting(item -> item.getAttribute("data-level"))
                    .containsExactly("raw", "raw");
            assertThat(items)
                    .extracting(item -> item.getAttribute("data-points"))
                    .containsExactly("240", "240");
            assertThat(items.get(0).getAttribute("data-firing")).isEqualTo("0");
            assertThat(items.get(1).getText()).contains("FIRING " + rule);

            JavascriptExecutor script = (JavascriptExecutor) browser;
            @SuppressWarnings("unchecked")
            List<Number> drawn =
                    (List<Number>)
                            script.executeScript(
                                    "return window.tsflowPlot.data[1].slice(0, 3)"
                                            + ".concat(window.tsflowPlot.data[2].slice(-1))");
            assertThat(drawn.stream().map(Number::doubleValue))
                    .containsExactly(
                            celsius(1, START),
                            celsius(1, START + 30),
                            celsius(1, START + 60),
                            celsius(2, END - 30));
            Number canvasWidth =
                    (Number)
                            script.executeScript(
                                    "return document.querySelector('#chart canvas').width");
            assertThat(canvasWidth.intValue()).isGreaterThan(0);

            Path screenshots = Files.createDirectories(Path.of("target", "screenshots"));
            Files.write(
                    screenshots.resolve("query-page.png"),
                    ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));

            // A forced rollup level: the minutes, said in the list.
            browser.get(
                    "http://127.0.0.1:"
                            + server.port()
                            + "/?"
                            + target("room=r3")
                            + WHOLE_RANGE
                            + "&level=1m");
            WebElement again = browser.findElement(By.id("status"));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> "drawn".equals(again.getAttribute("data-state")));
            WebElement minutes = browser.findElement(By.cssSelector("#series li"));
            assertThat(minutes.getAttribute("data-level")).isEqualTo("1m");
            assertThat(minutes.getAttribute("data-points")).isEqualTo("120");
            assertThat(minutes.getText()).contains("1m rollup");
        } finally {
            browser.quit();
        }
    }

    /**
     * TLS with the local servers' certificate for 127.0.0.1, and basic auth on every path: no
     * credentials or wrong ones are answered 401, the right ones get the data, and plain HTTP gets
     * nothing.
     */
    @Test
    void tlsAndBasicAuthGuardEveryPath() throws Exception {
        Path secrets = Path.of(System.getenv("TSFLOW_TLS_TRUSTSTORE")).getParent();
        Secret storePassword =
                Secret.of("store", Files.readString(secrets.resolve("tls-store-password")).strip());
        ServerSecurity security =
                ServerSecurity.of(
                        secrets.resolve("server.p12").toString(),
                        Optional.of(storePassword),
                        Optional.of(Secret.of("user", "grafana")),
                        Optional.of(Secret.of("password", "s3cret-for-test")),
                        "127.0.0.1");
        QueryConfig config =
                new QueryConfig(
                        CassandraSettings.local(LocalServers.get().cassandraContact(), KEYSPACE),
                        StorageSettings.defaults(),
                        List.of("1m", "1h"),
                        null,
                        0,
                        null,
                        null,
                        null,
                        null);
        try (QueryServer secured = QueryServer.of(config, reader, security)) {
            secured.start();
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(secrets.resolve("truststore.p12"))) {
                trusted.load(in, storePassword.reveal().toCharArray());
            }
            TrustManagerFactory trust =
                    TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, trust.getTrustManagers(), null);
            HttpClient client = HttpClient.newBuilder().sslContext(tls).build();
            String base = "https://127.0.0.1:" + secured.port();
            String render = base + "/render?" + target("room=r1") + WHOLE_RANGE + "&level=1h";
            for (String path : List.of(render, base + "/levels", base + "/", base + "/tags")) {
                assertThat(status(client, path, null)).as(path).isEqualTo(401);
                assertThat(status(client, path, "grafana:wrong")).as(path).isEqualTo(401);
                assertThat(status(client, path, "grafana:s3cret-for-test")).as(path).isEqualTo(200);
            }
            assertThatThrownBy(
                            () ->
                                    HTTP.send(
                                            HttpRequest.newBuilder(
                                                            URI.create(
                                                                    "http://127.0.0.1:"
                                                                            + secured.port()
                                                                            + "/levels"))
                                                    .timeout(Duration.ofSeconds(10))
                                                    .build(),
                                            HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(java.io.IOException.class);
        }
        // Basic auth in clear text to another host is refused at start.
        assertThatThrownBy(
                        () ->
                                ServerSecurity.of(
                                        null,
                                        Optional.empty(),
                                        Optional.of(Secret.of("user", "grafana")),
                                        Optional.of(Secret.of("password", "x")),
                                        "0.0.0.0"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("clear text");
    }

    private static int status(HttpClient client, String uri, String credentials) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri));
        if (credentials != null) {
            request.header(
                    "Authorization",
                    "Basic "
                            + Base64.getEncoder()
                                    .encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** The service's role reads everything the jobs wrote, and may write nothing. */
    @Test
    void theReadOnlyRoleCannotWrite() {
        assertThat(reader.execute("SELECT count(*) FROM " + KEYSPACE + ".series").one().getLong(0))
                .isPositive();
        assertThatThrownBy(
                        () ->
                                reader.execute(
                                        "INSERT INTO "
                                                + KEYSPACE
                                                + ".metric_names (shard, metric) VALUES ('x',"
                                                + " 'y')"))
                .isInstanceOf(UnauthorizedException.class)
                .hasMessageContaining("MODIFY");
        assertThatThrownBy(() -> reader.execute("DROP KEYSPACE " + KEYSPACE))
                .isInstanceOf(UnauthorizedException.class);
    }

    @Test
    void bucketsShowTheirLastValueOrAQuantile() throws Exception {
        JsonNode last =
                render(
                        target("name=room.temperature", "room=r1")
                                + WHOLE_RANGE
                                + "&level=1h&aggregate=last");
        assertThat(last.get(0).get("datapoints").get(0).get(0).asDouble())
                .isEqualTo(celsius(1, START + 3_570));
        JsonNode p90 =
                render(
                        target("name=room.temperature", "room=r1")
                                + WHOLE_RANGE
                                + "&level=1h&aggregate=p90");
        assertThat(p90.get(0).get("datapoints").get(1).get(0).asDouble())
                .isCloseTo(
                        celsius(1, START + 3_600) + 0.9 * (3_570 / 3600.0),
                        org.assertj.core.data.Offset.offset(1e-9));
        // A quantile the rule does not keep: no value, not an error.
        JsonNode p99 =
                render(
                        target("name=room.temperature", "room=r1")
                                + WHOLE_RANGE
                                + "&level=1h&aggregate=p99");
        assertThat(p99.get(0).get("datapoints").get(0).get(0).isNull()).isTrue();
    }

    /**
     * As Grafana's Graphite data source asks: {@code /version}, then {@code POST /render} with the
     * parameters in a form body.
     */
    @Test
    void grafanasFormPostsAndVersionQueryAreAnswered() throws Exception {
        HttpResponse<String> version = call("/version");
        assertThat(version.body()).isEqualTo("1.1.10");
        String form =
                "target="
                        + encoded(
                                "aliasByTags(seriesByTag('name=room.temperature','room=r3'),'room')")
                        + WHOLE_RANGE
                        + "&format=json&maxDataPoints=100";
        HttpResponse<String> response =
                HTTP.send(
                        HttpRequest.newBuilder(
                                        URI.create("http://127.0.0.1:" + server.port() + "/render"))
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(HttpRequest.BodyPublishers.ofString(form))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode series = JSON.readTree(response.body());
        assertThat(series).hasSize(1);
        assertThat(series.get(0).get("target").asText()).isEqualTo("r3");
        assertThat(series.get(0).get("level").asText()).isEqualTo("1h");
    }
}
