package io.slimjobs.kamelets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import io.slimjobs.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** Every kamelet of `kamelets/`, linted as the Apache Camel kamelet catalog's validator does. */
class KameletCatalogRulesTest {

    private static final Path FOLDER = Path.of("kamelets");
    private static final String SUFFIX = ".kamelet.yaml";

    static List<Path> kamelets() throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(FOLDER, "*" + SUFFIX)) {
            entries.forEach(files::add);
        }
        assertFalse(files.isEmpty(), "no kamelet found in " + FOLDER.toAbsolutePath());
        return files;
    }

    @ParameterizedTest
    @MethodSource("kamelets")
    void should_follow_the_kamelet_catalog_rules(Path file) throws IOException {
        String name = file.getFileName().toString().replace(SUFFIX, "");
        JsonNode kamelet = Json.MAPPER.valueToTree(new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(file)));

        assertEquals(name, kamelet.at("/metadata/name").asText(), "file name = kamelet name");
        String type = kamelet.at("/metadata/labels").get("camel.apache.org/kamelet.type").asText();
        assertTrue(name.endsWith("-" + type), "name ends with its type");
        assertTrue(kamelet.at("/spec/definition/title").asText().toLowerCase().endsWith(type),
                "title ends with its type");
        assertEquals("kamelet:source", kamelet.at("/spec/template/from/uri").asText(),
                "a sink or an action starts from kamelet:source");

        Set<String> declared = new HashSet<>();
        kamelet.at("/spec/definition/properties").fields().forEachRemaining(property -> {
            declared.add(property.getKey());
            for (String field : List.of("title", "description", "type")) {
                assertTrue(property.getValue().has(field), property.getKey() + " has a " + field);
            }
            if ("password".equals(property.getValue().path("format").asText())) {
                assertEquals("urn:camel:group:credentials", property.getValue().at("/x-descriptors/0").asText(),
                        property.getKey() + " is marked as credentials");
            }
        });
        Set<String> used = new HashSet<>();
        Matcher placeholder = Pattern.compile("\\{\\{\\??([a-zA-Z0-9]+)}}").matcher(kamelet.at("/spec/template").toString());
        while (placeholder.find()) {
            used.add(placeholder.group(1));
        }
        assertEquals(declared, used, "every property is used and every placeholder declared");
    }
}
