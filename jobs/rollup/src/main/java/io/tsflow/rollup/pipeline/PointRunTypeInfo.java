package io.tsflow.rollup.pipeline;

import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** The type of a {@link PointRun}: serialized by {@link PointRunSerializer}. */
public final class PointRunTypeInfo extends TypeInformation<PointRun> {

    private static final long serialVersionUID = 1L;

    /** Picked up by Flink's type extraction through {@link PointRun}'s annotation. */
    public static final class Factory extends TypeInfoFactory<PointRun> {
        @Override
        public TypeInformation<PointRun> createTypeInfo(
                Type type, Map<String, TypeInformation<?>> parameters) {
            return new PointRunTypeInfo();
        }
    }

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<PointRun> getTypeClass() {
        return PointRun.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<PointRun> createSerializer(SerializerConfig config) {
        return PointRunSerializer.INSTANCE;
    }

    @Override
    @Deprecated
    public TypeSerializer<PointRun> createSerializer(ExecutionConfig config) {
        return PointRunSerializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "PointRun";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PointRunTypeInfo;
    }

    @Override
    public int hashCode() {
        return PointRunTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object other) {
        return other instanceof PointRunTypeInfo;
    }
}
