package dev.freight.support;

import io.quarkus.test.common.QuarkusTestResource;

/** Every {@code @QuarkusTest} runs against the embedded storage. */
@QuarkusTestResource(value = EmbeddedStorageResource.class, restrictToAnnotatedClass = false)
public final class GlobalTestResources {

    private GlobalTestResources() {
    }
}
