package io.slimjobs.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

/**
 * An object that carries nothing but its name, to patch by name: fabric8's {@code withName(n).patch(...)} reads the
 * object first, a round trip the patch does not need and a `get` the Role would have to grant (on Secrets, reading
 * every Secret of the namespace), while {@code resource(Named.object(type, n)).patch(...)} sends the patch alone.
 */
public final class Named {

    private Named() {
    }

    public static <T extends HasMetadata> T object(Class<T> type, String name) {
        try {
            T object = type.getDeclaredConstructor().newInstance();
            object.setMetadata(new ObjectMetaBuilder().withName(name).build());
            return object;
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException(type.getName() + " has no constructor without arguments", e);
        }
    }
}
