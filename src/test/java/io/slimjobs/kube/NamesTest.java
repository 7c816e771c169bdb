package io.slimjobs.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import io.slimjobs.error.InvalidRequestException;

class NamesTest {

    private static final String THIRTY = "a23456789_123456789-12345678z0";

    @ParameterizedTest
    @ValueSource(strings = {"abc", "123", "a_b", "a-b", "fibonacci_2-batch", THIRTY})
    void should_accept_a_valid_job_name(String name) {
        assertEquals(name, Names.jobName(name));
    }

    @Test
    void should_lower_case_a_job_name() {
        assertEquals("fibonacci", Names.jobName("Fibonacci"));
        assertEquals("my_job-1", Names.jobName("MY_JOB-1"));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"ab", THIRTY + "1", "-abc", "abc-", "_abc", "abc_", "a.bc", "a bc", "abc ", "ab/c", "été"})
    void should_reject_an_invalid_job_name_stating_the_rule(String name) {
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> Names.jobName(name));

        assertEquals(400, e.status());
        assertEquals("job name '" + name + "' must be 3 to 30 characters of a-z, 0-9, '-' and '_', starting and "
                + "ending with a letter or digit", e.getMessage());
    }

    @Test
    void should_replace_underscores_in_kubernetes_names() {
        assertEquals("my-job-1", Names.kubernetesName("my_job_1"));
        assertEquals("fibonacci", Names.kubernetesName("fibonacci"));
    }

    @Test
    void should_derive_a_job_object_name_that_is_a_dns_label_of_at_most_63_characters() {
        String id = UUID.randomUUID().toString();

        String objectName = Names.jobObjectName(THIRTY, id);

        assertTrue(objectName.length() <= 63, objectName);
        assertTrue(Names.isDnsLabel(objectName), objectName);
        assertTrue(objectName.startsWith(Names.kubernetesName(THIRTY) + "-"), objectName);
        assertTrue(id.replace("-", "").startsWith(objectName.substring(THIRTY.length() + 1)), objectName);
    }

    @ParameterizedTest
    @ValueSource(strings = {"db", "my-db", "a", "0cache"})
    void should_accept_dns_labels(String name) {
        assertTrue(Names.isDnsLabel(name));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"My-db", "my_db", "-db", "db-", "my.db"})
    void should_reject_names_that_are_not_dns_labels(String name) {
        assertFalse(Names.isDnsLabel(name));
    }
}
