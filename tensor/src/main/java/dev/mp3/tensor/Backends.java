package dev.mp3.tensor;

import dev.mp3.tensor.cpu.CpuBackend;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Finds the backend for a device: the CPU backend is built in; others come from
 * {@link BackendProvider}s on the class path (ServiceLoader) or {@link #register}.
 * An explicit request for a device that cannot be opened fails loudly; nothing falls back to the CPU.
 */
public final class Backends {
    private static final Map<String, BackendProvider> PROVIDERS = new LinkedHashMap<>();
    private static final Map<Device, Backend> OPEN = new LinkedHashMap<>();

    static {
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) {
            PROVIDERS.put(p.type(), p);
        }
    }

    private Backends() {}

    public static synchronized void register(BackendProvider provider) {
        PROVIDERS.put(provider.type(), provider);
    }

    public static Backend cpu() {
        return CpuBackend.INSTANCE;
    }

    public static synchronized Backend get(Device device) {
        if (device.isCpu()) {
            return CpuBackend.INSTANCE;
        }
        Backend open = OPEN.get(device);
        if (open != null) {
            return open;
        }
        BackendProvider provider = PROVIDERS.get(device.type());
        if (provider == null) {
            throw new IllegalArgumentException("device " + device + ": no backend of type '" + device.type()
                    + "' is available; known types: " + knownTypes());
        }
        Backend backend = provider.open(device);
        OPEN.put(device, backend);
        return backend;
    }

    public static synchronized List<String> knownTypes() {
        List<String> types = new ArrayList<>();
        types.add("cpu");
        types.addAll(PROVIDERS.keySet());
        return types;
    }

    public static synchronized List<BackendProvider> providers() {
        return List.copyOf(PROVIDERS.values());
    }
}
