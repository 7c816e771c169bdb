package io.slimjobs.config;

import java.io.IOException;
import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The jobs configuration file, read again on each call of {@link #reload} (the `config-reload` route): a valid change
 * is put in force, an invalid one is refused whole and said once, and a file that cannot be read (gone, or in the
 * middle of a ConfigMap update) leaves the definitions in force as they are.
 */
public final class ConfigurationFile {

    /** The registry name the `config-reload` route calls; bound only when a file is the configuration's source. */
    public static final String BEAN = "configurationFile";

    private static final Logger LOG = LoggerFactory.getLogger(ConfigurationFile.class);

    private final Path file;
    private final DefinitionSources sources;
    /** The content last read, applied or refused: the same content is neither applied nor refused twice. */
    private String seen;
    /** Why the file could not be read last time, so that a lasting failure is said once. */
    private String unreadable;

    /** @param applied the file as it was read at startup, whose definitions are in force */
    public ConfigurationFile(JobsConfigurationLoader.Source applied, DefinitionSources sources) {
        this.file = applied.file();
        this.seen = applied.json();
        this.sources = sources;
    }

    public synchronized void reload() {
        JobsConfigurationLoader.Source source;
        try {
            source = JobsConfigurationLoader.fileSource(file);
        } catch (IOException e) {
            if (!e.toString().equals(unreadable)) {
                unreadable = e.toString();
                LOG.warn("The jobs configuration file {} cannot be read ({}); the definitions in force stay until it "
                        + "can", file, e.toString());
            }
            return;
        }
        if (unreadable != null) {
            unreadable = null;
            LOG.info("The jobs configuration file {} can be read again", file);
        }
        if (source.json().equals(seen)) {
            return;
        }
        seen = source.json();
        JobsConfiguration next;
        try {
            next = JobsConfigurationLoader.parse(source);
        } catch (InvalidConfigurationException e) {
            LOG.error("The jobs configuration file {} changed and is refused whole: nothing of it applies and the "
                    + "definitions in force stay. Problems: {}", file, String.join("; ", e.problems()));
            return;
        }
        sources.configurationChanged(next);
        LOG.info("The jobs configuration file {} changed: its definitions are in force", file);
    }
}
