package io.tsflow.ingest.format;

import static org.assertj.core.api.Assertions.assertThat;

import io.tsflow.ingest.config.Limits;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The streaming reader must be invisible: for every ASCII record, parsing its bytes (streaming
 * first, the tree on anything unusual) gives exactly what the tree parser alone gives for them.
 */
class StreamingMessageReaderTest {

    private final JsonMessageParser parser = new JsonMessageParser(Limits.defaults(), "ms");
    private final StrictUtf8Text utf8 = new StrictUtf8Text();

    @Test
    void theCommonShapeIsReadWithoutTheTreeAndMatchesIt() {
        String common =
                "{\"metric\":\"cpu.load\",\"tagset\":{\"host\":\"a\",\"dc\":\"b\"},\"type\":\"tdouble\","
                    + "\"values\":[[\"2024-01-01T00:00:00.123456\",1.5],[1704067200000,2]]}";
        StreamingMessageReader reader =
                new StreamingMessageReader(
                        com.fasterxml.jackson.core.JsonFactory.builder().build(),
                        new TimestampParser("ms"));
        assertThat(reader.read(bytes(common), () -> new byte[0])).isNotNull();
        assertSameAsTree(common);
    }

    @Test
    void chosenRecordsParseAsTheTreeParsesThem() {
        for (String record : chosenRecords()) {
            assertSameAsTree(record);
        }
    }

    @Test
    void mutatedRecordsParseAsTheTreeParsesThem() {
        // Random single-character edits of well-formed messages: most become something the
        // streaming reader must hand to the tree (or must read exactly as the tree does).
        List<String> seeds = chosenRecords().subList(0, 4);
        String alphabet = "{}[]\",:0123456789.eE-+ntfalsruNaIiy tagsetmricvpdolb\\";
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder record = new StringBuilder(seeds.get(random.nextInt(seeds.size())));
            for (int edits = 1 + random.nextInt(3); edits > 0; edits--) {
                int at = random.nextInt(record.length());
                char c = alphabet.charAt(random.nextInt(alphabet.length()));
                switch (random.nextInt(3)) {
                    case 0 -> record.setCharAt(at, c);
                    case 1 -> record.insert(at, c);
                    default -> record.deleteCharAt(at);
                }
            }
            assertSameAsTree(record.toString());
        }
    }

    private static List<String> chosenRecords() {
        return List.of(
                "{\"metric\":\"m\",\"tagset\":{\"a\":\"b\"},\"type\":\"tdouble\",\"values\":[[\"2024-01-01T00:00:00\",1.0]]}",
                "{\"type\":\"tlong\",\"values\":[[1704067200000,9007199254740993]],\"metric\":\"m\"}",
                "{\"metric\":\"m\",\"type\":\"tbool\",\"values\":[[1704067200000,true],[1704067200001,false]]}",
                "{\"metric\":\"m\",\"type\":\"ttext\",\"tagset\":{},\"values\":[[\"2024-01-01T00:00:00Z\",\"x\"]]}",
                " { \"metric\" : \"m\" , \"type\" : \"tdouble\" , \"values\" : [ [ 1 , 2 ] ] } ",
                "{\"metric\":\"m\",\"type\":\"tdouble\",\"values\":[[1,NaN],[2,Infinity],[3,-Infinity]]}",
                "{\"metric\":\"m\",\"type\":\"tdouble\",\"values\":[[1,1e400],[2,-0.0],[3,4.9e-324]]}",
                "{\"metric\":\"m\",\"type\":\"tlong\",\"values\":[[1,2147483648],[2,-2147483649],[3,99999999999999999999]]}",
                "{\"metric\":\"m\",\"type\":\"tdouble\",\"values\":[[\"not a"
                        + " time\",1],[1.5,2],[1e30,3]]}",
                "{\"metric\":\"m\",\"type\":\"tdouble\",\"values\":[[1,2,3]]}",
                "{\"metric\":\"m\",\"type\":\"tdouble\",\"values\":[[1]]}",
                "{\"metric\":\"m\",\"type\":\"tdouble\",\"values\":[]}",
                "{\"metric\":\"m\",\"type\":\"tdouble\",\"values\":[[1,null]]}",
                "{\"metric\":\"m\",\"type\":\"pos2d\",\"values\":[[1,{\"latitude\":1,\"longitude\":2}]]}",
                "{\"metric\":\"m\",\"metric\":\"n\",\"type\":\"tdouble\",\"values\":[[1,1]]}",
                "{\"metric\":\"m\",\"tagset\":{\"a\":\"b\",\"a\":\"c\"},\"type\":\"tdouble\",\"values\":[[1,1]]}",
                "{\"metric\":\"m\",\"tagset\":{\"a\":1},\"type\":\"tdouble\",\"values\":[[1,1]]}",
                "{\"metric\":\"m\",\"tagset\":null,\"type\":\"tdouble\",\"values\":[[1,1]]}",
                "{\"metric\":1,\"type\":\"tdouble\",\"values\":[[1,1]]}",
                "{\"metric\":\"m\",\"type\":\"tdouble\",\"values\":[[1,1]],\"extra\":true}",
                "{\"metric\":\"m\",\"type\":\"tdouble\",\"values\":[[1,1]]} {}",
                "{\"metric\":\"m\",\"type\":\"tdouble\",\"values\":[[1,1]]",
                "{\"type\":\"tdouble\",\"values\":[[1,1]]}",
                "{\"metric\":\"m\",\"values\":[[1,1]]}",
                "{\"metric\":\"m\",\"type\":\"tdouble\"}",
                "[{\"metric\":\"m\",\"type\":\"tdouble\",\"values\":[[1,1]]}]",
                "{\"series\":[{\"metric\":\"m\",\"type\":\"tdouble\",\"values\":[[1,1]]}]}",
                "{\"metric\":\"m\\u0041\",\"type\":\"tdouble\",\"values\":[[1,1]]}",
                "{}",
                "[]",
                "42",
                "",
                "   ");
    }

    private void assertSameAsTree(String record) {
        String viaBytes = describe(() -> parser.parse(bytes(record), utf8));
        String viaTree = describe(() -> parser.parseWithTree(bytes(record)));
        assertThat(viaBytes).as("record %s", record).isEqualTo(viaTree);
    }

    private interface Parse {
        List<ParsedMessage> run() throws RecordRejectedException;
    }

    private static String describe(Parse parse) {
        List<ParsedMessage> messages;
        try {
            messages = parse.run();
        } catch (RecordRejectedException e) {
            return "rejected " + e.reason() + ": " + e.getMessage();
        }
        List<String> described = new ArrayList<>();
        for (ParsedMessage message : messages) {
            StringBuilder text =
                    new StringBuilder()
                            .append(message.messageIndex())
                            .append(' ')
                            .append(message.metric())
                            .append(' ')
                            .append(message.tags())
                            .append(' ')
                            .append(message.type())
                            .append(' ')
                            .append(message.error())
                            .append(' ')
                            .append(message.errorMessage())
                            .append(" original=")
                            .append(Arrays.toString(message.original()));
            if (message.points() != null) {
                for (ParsedPoint point : message.points()) {
                    text.append("\n  ")
                            .append(point.index())
                            .append(' ')
                            .append(point.timestampMicros())
                            .append(' ')
                            .append(describeNode(point.value()))
                            .append(' ')
                            .append(point.error())
                            .append(' ')
                            .append(point.errorMessage())
                            .append(' ')
                            .append(describeNode(point.source()));
                }
            }
            described.add(text.toString());
        }
        return String.join("\n", described);
    }

    private static String describeNode(Object node) {
        return node == null ? "null" : node.getClass().getSimpleName() + ":" + node;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
