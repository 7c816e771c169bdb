package io.slimjobs.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/** The pom's `image` profile, the local base script and the README's Container image section say the same. */
class ImageProfileTest {

    private static final Path BASE_SCRIPT = ManifestsTest.DEPLOY.resolve("image/build-base.sh");
    private static final String CONTAINER = "/project/profiles/profile[id='image']//plugin[artifactId='jib-maven-plugin']"
            + "/configuration/container/";

    /** The JVM flags the image starts SlimJobs with. */
    static List<String> jvmFlags() throws Exception {
        NodeList flags = (NodeList) XPathFactory.newInstance().newXPath()
                .evaluate(CONTAINER + "jvmFlags/jvmFlag", pom(), XPathConstants.NODESET);
        List<String> values = new ArrayList<>();
        for (int i = 0; i < flags.getLength(); i++) {
            values.add(flags.item(i).getTextContent().trim());
        }
        return values;
    }

    private static Document pom() throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile());
    }

    private static String readmeSection() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        int start = readme.indexOf("### Container image");
        return readme.substring(start, readme.indexOf("\n## ", start));
    }

    /** A `NAME=value` line of the base script. */
    private static String scriptSetting(String name) throws Exception {
        Matcher setting = Pattern.compile("(?m)^" + name + "=(\\S+)").matcher(Files.readString(BASE_SCRIPT));
        assertTrue(setting.find(), () -> BASE_SCRIPT + " sets no " + name);
        return setting.group(1);
    }

    @Test
    void should_run_as_the_user_of_the_deployment_which_the_local_base_defines() throws Exception {
        var pod = ManifestsTest.one(Kustomization.renderResources(ManifestsTest.BASE), Deployment.class).getSpec()
                .getTemplate().getSpec().getSecurityContext();
        String user = XPathFactory.newInstance().newXPath().evaluate(CONTAINER + "user", pom());
        assertEquals(pod.getRunAsUser() + ":" + pod.getRunAsGroup(), user);
        assertEquals(String.valueOf(pod.getRunAsUser()), scriptSetting("USER_ID"));
        assertTrue(readmeSection().contains("`" + user + "`"), "the README names the user " + user);
    }

    @Test
    void should_start_the_jvm_with_exactly_the_flags_the_readme_states() throws Exception {
        Matcher flag = Pattern.compile("-XX:[^\\s`]+").matcher(readmeSection());
        List<String> documented = new ArrayList<>();
        while (flag.find()) {
            documented.add(flag.group());
        }
        assertEquals(jvmFlags(), documented);
    }

    @Test
    void should_document_the_air_gapped_build_from_where_the_script_writes_the_base() throws Exception {
        String command = "-Dslimjobs.image.base=tar://" + scriptSetting("OUT");
        assertTrue(readmeSection().contains(command), "the README builds with " + command);
    }
}
