package io.tsflow.connectors.registry;

import java.util.IdentityHashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificFixed;
import org.apache.avro.specific.SpecificRecord;

/**
 * A {@link SpecificDatumWriter} that remembers, per union schema, which branch each Java class was
 * written to. Avro resolves a union value by walking its type checks and looking the branch up by
 * name for every value; for an observation's {@code value} field that was a visible share of the
 * encoding time.
 *
 * <p>Caching by class is exact because Avro forbids two branches of one type in a union except
 * named types, and a specific class always carries the same schema; a null is cached under {@link
 * Void}, as a union has at most one null branch (Avro looks that one up by name for every null
 * field of every record). Generic named values (a {@code GenericData.Record}, {@code Fixed} or
 * {@code EnumSymbol}) carry their schema per instance, so they are resolved every time. Not
 * thread-safe, like the writer it extends.
 */
public final class UnionCachingDatumWriter<T> extends SpecificDatumWriter<T> {

    private final Map<Schema, Map<Class<?>, Integer>> branchesByUnion = new IdentityHashMap<>();

    public UnionCachingDatumWriter(Schema schema) {
        super(schema);
    }

    @Override
    protected int resolveUnion(Schema union, Object datum) {
        if (datum != null && !cacheable(datum)) {
            return super.resolveUnion(union, datum);
        }
        Class<?> type = datum == null ? Void.class : datum.getClass();
        Map<Class<?>, Integer> branches =
                branchesByUnion.computeIfAbsent(union, u -> new IdentityHashMap<>());
        Integer branch = branches.get(type);
        if (branch == null) {
            // Throws for a union without the value's type (or without null): nothing is cached.
            branch = super.resolveUnion(union, datum);
            branches.put(type, branch);
        }
        return branch;
    }

    private static boolean cacheable(Object datum) {
        return !(datum instanceof GenericContainer)
                || datum instanceof SpecificRecord
                || datum instanceof SpecificFixed
                || datum instanceof Enum<?>;
    }
}
