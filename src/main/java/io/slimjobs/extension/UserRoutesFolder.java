package io.slimjobs.extension;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.FailedToCreateRouteException;
import org.apache.camel.PropertyInject;
import org.apache.camel.Route;
import org.apache.camel.impl.DefaultModelReifierFactory;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the operator's YAML DSL routes, every `*.camel.yaml` file of the folder `slimjobs.routes-dir` (typically a
 * mounted ConfigMap), beside the built-in ones at startup. Only the folder's own entries are read, not its
 * subfolders: a ConfigMap volume keeps each version again in hidden `..<timestamp>` folders. A file that cannot be
 * loaded stops startup naming it: Camel's YAML parser names the file and line itself, and a route that cannot be
 * created (an unknown component, a bad expression) is given its file here, where Camel names only the route.
 */
public class UserRoutesFolder implements CamelConfiguration {

    static final String FILES = "*.camel.yaml";
    private static final Logger LOG = LoggerFactory.getLogger(UserRoutesFolder.class);

    @PropertyInject(value = "slimjobs.routes-dir", defaultValue = "")
    private String routesDir;

    @Override
    public void configure(CamelContext context) throws Exception {
        if (routesDir.isBlank()) {
            return;
        }
        Path folder = Path.of(routesDir);
        if (!Files.isDirectory(folder)) {
            throw new IllegalStateException("The routes folder " + folder + " (slimjobs.routes-dir) is not a directory");
        }
        ((ModelCamelContext) context).setModelReifierFactory(new NamingRouteFiles());
        List<Path> files = files(folder);
        for (Path file : files) {
            PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.resolveMandatoryResource(context,
                    "file:" + file));
        }
        LOG.info("Loaded {} route file(s) from {}: {}", files.size(), folder,
                files.stream().map(Path::getFileName).toList());
    }

    private static List<Path> files(Path folder) throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder, FILES)) {
            entries.forEach(files::add);
        }
        files.sort(null);
        return files;
    }

    /** Camel's own route creation, with the route's file in the message of a route it cannot create. */
    private static final class NamingRouteFiles extends DefaultModelReifierFactory {

        @Override
        public Route createRoute(CamelContext context, Object routeDefinition) {
            try {
                return super.createRoute(context, routeDefinition);
            } catch (FailedToCreateRouteException e) {
                Resource file = ((RouteDefinition) routeDefinition).getResource();
                if (e.getLocation() != null || file == null) {
                    throw e;
                }
                throw new FailedToCreateRouteException(e.getRouteId(), file.getLocation(), routeDefinition.toString(),
                        e.getCause());
            }
        }
    }
}
