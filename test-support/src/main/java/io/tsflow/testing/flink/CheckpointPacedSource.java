package io.tsflow.testing.flink;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Wraps a source so that each reader emits at most {@code recordsPerCheckpoint} records between two
 * completed checkpoints. A fault-injection test needs this: an unpaced bounded source can finish
 * before the first checkpoint, and then a failure "after a checkpoint" never happens. With pacing,
 * the stream is guaranteed to be cut by checkpoints, whatever the speed of the machine.
 */
public class CheckpointPacedSource<T, SplitT extends SourceSplit, EnumChkT>
        implements Source<T, SplitT, EnumChkT>, ResultTypeQueryable<T> {

    private static final long serialVersionUID = 1L;

    private final Source<T, SplitT, EnumChkT> delegate;
    private final int recordsPerCheckpoint;

    public CheckpointPacedSource(Source<T, SplitT, EnumChkT> delegate, int recordsPerCheckpoint) {
        if (recordsPerCheckpoint < 1) {
            throw new IllegalArgumentException("recordsPerCheckpoint must be positive");
        }
        this.delegate = delegate;
        this.recordsPerCheckpoint = recordsPerCheckpoint;
    }

    @Override
    public Boundedness getBoundedness() {
        return delegate.getBoundedness();
    }

    @Override
    public SourceReader<T, SplitT> createReader(SourceReaderContext context) throws Exception {
        return new PacedReader<>(delegate.createReader(context), recordsPerCheckpoint);
    }

    @Override
    public SplitEnumerator<SplitT, EnumChkT> createEnumerator(
            SplitEnumeratorContext<SplitT> context) throws Exception {
        return delegate.createEnumerator(context);
    }

    @Override
    public SplitEnumerator<SplitT, EnumChkT> restoreEnumerator(
            SplitEnumeratorContext<SplitT> context, EnumChkT checkpoint) throws Exception {
        return delegate.restoreEnumerator(context, checkpoint);
    }

    @Override
    public SimpleVersionedSerializer<SplitT> getSplitSerializer() {
        return delegate.getSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<EnumChkT> getEnumeratorCheckpointSerializer() {
        return delegate.getEnumeratorCheckpointSerializer();
    }

    @Override
    @SuppressWarnings("unchecked")
    public TypeInformation<T> getProducedType() {
        if (delegate instanceof ResultTypeQueryable<?> typed) {
            return (TypeInformation<T>) typed.getProducedType();
        }
        throw new IllegalStateException(delegate + " does not name the type it produces");
    }

    /** Delegates to the wrapped reader until its budget is spent, then waits for a checkpoint. */
    private static final class PacedReader<T, SplitT extends SourceSplit>
            implements SourceReader<T, SplitT> {

        private final SourceReader<T, SplitT> reader;
        private final int budget;
        private int emittedSinceCheckpoint;
        private CompletableFuture<Void> nextCheckpoint = new CompletableFuture<>();

        PacedReader(SourceReader<T, SplitT> reader, int budget) {
            this.reader = reader;
            this.budget = budget;
        }

        @Override
        public void start() {
            reader.start();
        }

        @Override
        public InputStatus pollNext(ReaderOutput<T> output) throws Exception {
            if (emittedSinceCheckpoint >= budget) {
                return InputStatus.NOTHING_AVAILABLE;
            }
            return reader.pollNext(new CountingReaderOutput(output));
        }

        @Override
        public CompletableFuture<Void> isAvailable() {
            return emittedSinceCheckpoint >= budget ? nextCheckpoint : reader.isAvailable();
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) throws Exception {
            reader.notifyCheckpointComplete(checkpointId);
            emittedSinceCheckpoint = 0;
            CompletableFuture<Void> waiting = nextCheckpoint;
            nextCheckpoint = new CompletableFuture<>();
            waiting.complete(null);
        }

        @Override
        public void notifyCheckpointAborted(long checkpointId) throws Exception {
            reader.notifyCheckpointAborted(checkpointId);
        }

        @Override
        public List<SplitT> snapshotState(long checkpointId) {
            return reader.snapshotState(checkpointId);
        }

        @Override
        public void addSplits(List<SplitT> splits) {
            reader.addSplits(splits);
        }

        @Override
        public void notifyNoMoreSplits() {
            reader.notifyNoMoreSplits();
        }

        @Override
        public void handleSourceEvents(SourceEvent event) {
            reader.handleSourceEvents(event);
        }

        @Override
        public void pauseOrResumeSplits(Collection<String> toPause, Collection<String> toResume) {
            reader.pauseOrResumeSplits(toPause, toResume);
        }

        @Override
        public void close() throws Exception {
            reader.close();
        }

        /** Counts the records that pass through a source output. */
        private class CountingOutput implements SourceOutput<T> {
            private final SourceOutput<T> output;

            CountingOutput(SourceOutput<T> output) {
                this.output = output;
            }

            @Override
            public void collect(T record) {
                emittedSinceCheckpoint++;
                output.collect(record);
            }

            @Override
            public void collect(T record, long timestamp) {
                emittedSinceCheckpoint++;
                output.collect(record, timestamp);
            }

            @Override
            public void emitWatermark(Watermark watermark) {
                output.emitWatermark(watermark);
            }

            @Override
            public void markIdle() {
                output.markIdle();
            }

            @Override
            public void markActive() {
                output.markActive();
            }
        }

        /** Counts what the reader emits, directly or through the per-split outputs it asks for. */
        private final class CountingReaderOutput extends CountingOutput implements ReaderOutput<T> {
            private final ReaderOutput<T> output;

            CountingReaderOutput(ReaderOutput<T> output) {
                super(output);
                this.output = output;
            }

            @Override
            public SourceOutput<T> createOutputForSplit(String splitId) {
                return new CountingOutput(output.createOutputForSplit(splitId));
            }

            @Override
            public void releaseOutputForSplit(String splitId) {
                output.releaseOutputForSplit(splitId);
            }
        }
    }
}
