package dev.freight.docs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import dev.freight.config.FreightConfig;
import dev.freight.health.HealthConfig;

/**
 * The settings the service runs with outside dev and test, read from the code without starting it: every key of the
 * {@code freight.*} mappings with its {@code @WithDefault}, overridden where {@code application.properties} sets a
 * value without a profile.
 */
final class ServiceSettings {

    /** Every {@code freight.*} key, with its default (empty: none). */
    final Map<String, Optional<String>> freightKeys = new LinkedHashMap<>();

    /** {@code application.properties} without its {@code %profile.} lines. */
    final Properties properties = new Properties();

    ServiceSettings() {
        walk(FreightConfig.class, FreightConfig.class.getAnnotation(ConfigMapping.class).prefix());
        walk(HealthConfig.class, HealthConfig.class.getAnnotation(ConfigMapping.class).prefix());
        try (InputStream in = Files.newInputStream(Path.of("src/main/resources/application.properties"))) {
            Properties all = new Properties();
            all.load(in);
            all.stringPropertyNames().stream().filter(key -> !key.startsWith("%"))
                    .forEach(key -> properties.setProperty(key, all.getProperty(key)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The value the service runs with for {@code key} outside dev and test, when the code or the file sets one. */
    Optional<String> effective(String key) {
        String configured = properties.getProperty(key);
        if (configured != null) {
            return Optional.of(configured);
        }
        return freightKeys.getOrDefault(key, Optional.empty());
    }

    /** {@code quarkus.log.category."a.b".level} -> {@code QUARKUS_LOG_CATEGORY__A_B__LEVEL} (MicroProfile Config). */
    static String environmentVariable(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase();
    }

    private void walk(Class<?> mapping, String prefix) {
        Arrays.stream(mapping.getDeclaredMethods()).filter(method -> !method.isDefault() && !method.isSynthetic())
                .sorted(Comparator.comparing(Method::getName)).forEach(method -> {
                    String key = prefix + "." + kebab(method.getName());
                    Class<?> type = method.getReturnType();
                    if (type.isInterface() && type.getName().startsWith("dev.freight.")) {
                        walk(type, key);
                    } else {
                        WithDefault fallback = method.getAnnotation(WithDefault.class);
                        freightKeys.put(key, Optional.ofNullable(fallback).map(WithDefault::value));
                    }
                });
    }

    private static String kebab(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }
}
