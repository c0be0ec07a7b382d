package dev.freight.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Reads the files of deploy/ and src/main/docker/ as a team would apply them. */
final class DeployFiles {

    static final Path DEPLOY = Path.of("deploy");
    static final Path DOCKER = Path.of("src", "main", "docker");
    private static final Pattern PROBE_PATH = Pattern.compile("/q/health(/[a-z]+)?");

    private DeployFiles() {
    }

    /** A YAML file (long-form intrinsics only, so a safe parser reads CloudFormation too) as maps and lists. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> yaml(String relative) {
        return (Map<String, Object>) new Yaml(new SafeConstructor(new LoaderOptions())).load(read(DEPLOY.resolve(relative)));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> json(String relative) {
        try {
            return new ObjectMapper().readValue(DEPLOY.resolve(relative).toFile(), Map.class);
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        }
    }

    /** Every health path named in deploy/ and the Dockerfiles: what orchestrators will probe. */
    static List<String> probePaths() {
        List<String> paths = new ArrayList<>();
        for (Path root : List.of(DEPLOY, DOCKER)) {
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(Files::isRegularFile).forEach(file -> {
                    Matcher matcher = PROBE_PATH.matcher(read(file));
                    while (matcher.find()) {
                        paths.add(matcher.group());
                    }
                });
            } catch (IOException failure) {
                throw new UncheckedIOException(failure);
            }
        }
        return paths.stream().distinct().sorted().toList();
    }

    /** Navigates nested maps and lists: keys for maps, numbers for lists. */
    @SuppressWarnings("unchecked")
    static <T> T at(Object root, Object... steps) {
        Object current = root;
        for (Object step : steps) {
            if (current instanceof Map<?, ?> map) {
                current = map.get(step);
            } else if (current instanceof List<?> list) {
                current = list.get((Integer) step);
            } else {
                throw new AssertionError("cannot take " + step + " of " + current);
            }
            if (current == null) {
                throw new AssertionError("nothing at " + step + " in " + List.of(steps));
            }
        }
        return (T) current;
    }
}
