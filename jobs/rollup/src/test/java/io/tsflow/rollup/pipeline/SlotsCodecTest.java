package io.tsflow.rollup.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class SlotsCodecTest {

    private static byte[] written(long[] slots) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(16);
        SlotsCodec.write(slots, out);
        return out.getCopyOfBuffer();
    }

    private static long[] read(byte[] bytes) throws Exception {
        DataInputDeserializer in = new DataInputDeserializer(bytes);
        long[] slots = SlotsCodec.read(in);
        assertThat(in.available()).as("bytes left over").isZero();
        return slots;
    }

    @Test
    void theMinutesOfAnHourTakeAByteEachAfterTheFirstStep() throws Exception {
        long[] minutes = new long[60];
        for (int i = 0; i < minutes.length; i++) {
            minutes[i] = 1_764_000_000_000_000L + i * 60_000_000L;
        }

        byte[] bytes = written(minutes);

        // count 1, first slot 8, first step 4 (60,000,000 µs), then 58 unchanged steps of 1
        assertThat(bytes).hasSize(1 + 8 + 4 + 58);
        assertThat(read(bytes)).containsExactly(minutes);
    }

    @Test
    void unevenStepsNoneAndAnIndexKeptInStateComeBackAsTheyWere() throws Exception {
        long[] uneven = {
            -5L, 100L, 101L, 1_000_000_000_000L, 1_000_000_000_001L, Long.MAX_VALUE / 2
        };
        assertThat(read(written(uneven))).containsExactly(uneven);
        assertThat(read(written(new long[0]))).isEmpty();
        assertThat(read(written(null))).isNull();
        assertThat(written(null)).hasSize(1);
        assertThat(written(new long[0])).hasSize(1);
    }
}
