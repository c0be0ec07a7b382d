package dev.freight.embedded;

import java.nio.file.Files;
import java.nio.file.Path;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.logging.Log;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.FileSystemAccess;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * Dev mode only: serves the JavaScript client package at {@value #PATH} straight from its sources ({@code js/src}),
 * so an edit shows at the next request, as edits of the page do. The build copies the package to
 * {@code META-INF/resources/freight-client/v1} (pom.xml); dev mode's live reload does not run that copy, and a
 * resource directory with a {@code targetPath} is copied by it to the class path's root instead.
 */
@Singleton
@IfBuildProfile("dev")
public class ClientPackageSources {

    static final String PATH = "/freight-client/v1/*";
    static final Path SOURCES = Path.of("js", "src");

    void register(@Observes Router router) {
        Path sources = SOURCES.toAbsolutePath();
        if (!Files.isDirectory(sources)) {
            Log.debugf("No %s here: /freight-client/v1/ is served from the class path", sources);
            return;
        }
        // Before the static resources of the class path, which hold the copy the last build made.
        router.route(PATH).order(-1).handler(StaticHandler.create(FileSystemAccess.ROOT, sources.toString())
                .setCachingEnabled(false).setDefaultContentEncoding("UTF-8"));
    }
}
