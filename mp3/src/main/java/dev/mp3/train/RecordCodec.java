package dev.mp3.train;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Flat string maps from and to configuration records (components of primitive, enum, String or
 * record type), so a checkpoint's safetensors metadata can carry the exact model and recipe:
 * {@code vit.dim = 192}, {@code train.eta = 0.75}, {@code train.augment.mixup = 0.8}, ...
 */
public final class RecordCodec {
    private RecordCodec() {}

    public static Map<String, String> encode(String prefix, Record r) {
        Map<String, String> out = new LinkedHashMap<>();
        for (RecordComponent c : r.getClass().getRecordComponents()) {
            try {
                Object value = c.getAccessor().invoke(r);
                if (value instanceof Record nested) {
                    out.putAll(encode(prefix + "." + c.getName(), nested));
                } else {
                    out.put(prefix + "." + c.getName(), String.valueOf(value));
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + c.getName() + " of " + r, e);
            }
        }
        return out;
    }

    /** Rebuilds a record; a missing or malformed entry is an IllegalArgumentException naming it. */
    public static <R extends Record> R decode(String prefix, Map<String, String> map, Class<R> type, String source) {
        RecordComponent[] components = type.getRecordComponents();
        Object[] args = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            String key = prefix + "." + components[i].getName();
            types[i] = components[i].getType();
            if (types[i].isRecord()) {
                args[i] = decode(key, map, types[i].asSubclass(Record.class), source);
                continue;
            }
            String text = map.get(key);
            if (text == null) {
                throw new IllegalArgumentException(source + ": metadata entry '" + key + "' is missing");
            }
            try {
                args[i] = parse(types[i], text);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(source + ": metadata entry '" + key + "' = '" + text
                        + "' is not a valid " + types[i].getSimpleName());
            }
        }
        try {
            Constructor<R> ctor = type.getDeclaredConstructor(types);
            return ctor.newInstance(args);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw new IllegalArgumentException(source + ": " + e.getCause().getMessage(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build " + type.getSimpleName(), e);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object parse(Class<?> type, String text) {
        if (type == int.class) return Integer.parseInt(text);
        if (type == long.class) return Long.parseLong(text);
        if (type == float.class) return Float.parseFloat(text);
        if (type == double.class) return Double.parseDouble(text);
        if (type == boolean.class) {
            if (!text.equals("true") && !text.equals("false")) throw new IllegalArgumentException(text);
            return Boolean.parseBoolean(text);
        }
        if (type == String.class) return text;
        if (type.isEnum()) return Enum.valueOf((Class<Enum>) type, text);
        throw new IllegalStateException("unsupported config component type " + type);
    }
}
