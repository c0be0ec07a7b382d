package dev.freight.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The library's shape: the public package shows no Jackson type and no internal type in any public signature, and
 * the internal package never reaches back to the entry points (imports point one way: entry points -> engine ->
 * public values).
 */
class PublicApiTest {

    private static final Path SOURCES = Path.of("src/main/java/dev/freight/client");
    /** What an app calls; the engine must not depend on them. */
    private static final List<String> ENTRY_POINTS = List.of("FreightClient", "UploadTask", "DownloadTask",
            "OkHttpTransport", "FileStateStore");

    @Test
    void publicSignaturesNameNoJacksonAndNoInternalType() throws Exception {
        List<String> leaks = new ArrayList<>();
        for (Class<?> type : publicTypes()) {
            for (Class<?> nested : type.getClasses()) {
                check(nested, leaks);
            }
            check(type, leaks);
        }
        assertThat(leaks).isEmpty();
    }

    @Test
    void theInternalPackageNeverImportsAnEntryPoint() throws IOException {
        List<String> backwards = new ArrayList<>();
        try (Stream<Path> files = Files.list(SOURCES.resolve("internal"))) {
            for (Path file : files.collect(Collectors.toList())) {
                for (String line : Files.readAllLines(file)) {
                    for (String entry : ENTRY_POINTS) {
                        if (line.equals("import dev.freight.client." + entry + ";")) {
                            backwards.add(file.getFileName() + ": " + line);
                        }
                    }
                }
            }
        }
        assertThat(backwards).isEmpty();
    }

    private static List<Class<?>> publicTypes() throws IOException, ClassNotFoundException {
        List<Class<?>> types = new ArrayList<>();
        try (Stream<Path> files = Files.list(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).collect(Collectors.toList())) {
                String name = file.getFileName().toString().replace(".java", "");
                Class<?> type = Class.forName("dev.freight.client." + name);
                if (Modifier.isPublic(type.getModifiers())) {
                    types.add(type);
                }
            }
        }
        assertThat(types).extracting(Class::getSimpleName).contains("FreightClient", "UploadTask", "RemoteUpload");
        return types;
    }

    private static void check(Class<?> type, List<String> leaks) {
        List<Type> named = new ArrayList<>();
        named.add(type.getGenericSuperclass());
        named.addAll(List.of(type.getGenericInterfaces()));
        for (Method method : type.getDeclaredMethods()) {
            if (Modifier.isPublic(method.getModifiers()) || Modifier.isProtected(method.getModifiers())) {
                named.add(method.getGenericReturnType());
                named.addAll(List.of(method.getGenericParameterTypes()));
            }
        }
        for (Constructor<?> constructor : type.getDeclaredConstructors()) {
            if (Modifier.isPublic(constructor.getModifiers())) {
                named.addAll(List.of(constructor.getGenericParameterTypes()));
            }
        }
        for (Field field : type.getDeclaredFields()) {
            if (Modifier.isPublic(field.getModifiers())) {
                named.add(field.getGenericType());
            }
        }
        for (Type each : named) {
            String name = each == null ? "" : each.getTypeName();
            if (name.contains("com.fasterxml") || name.contains("dev.freight.client.internal")) {
                leaks.add(type.getName() + " names " + name);
            }
        }
    }
}
