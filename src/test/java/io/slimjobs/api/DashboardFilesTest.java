package io.slimjobs.api;

import static io.slimjobs.api.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import io.slimjobs.HttpCaller;
import io.slimjobs.HttpCaller.Answer;
import io.slimjobs.SlimJobsTestSupport;
import org.junit.jupiter.api.Test;

/** The dashboard's files as HTTP serves them: to any caller, with their types, and nothing outside their list. */
class DashboardFilesTest extends SlimJobsTestSupport {

    @Test
    void should_serve_the_page_at_the_root_to_an_untrusted_caller() {
        Answer page = get("/");

        assertEquals(200, page.status(), page::toString);
        assertEquals("text/html; charset=utf-8", page.contentType());
        assertEquals("no-cache", page.header("Cache-Control"));
        assertEquals("nosniff", page.header("X-Content-Type-Options"));
        assertTrue(page.header("Content-Security-Policy").contains("default-src 'self'"), page::toString);
        assertTrue(page.body().contains("<script src=\"/dashboard/dashboard.js\" defer></script>"), page::body);
        assertTrue(page.body().contains("<link rel=\"stylesheet\" href=\"/dashboard/dashboard.css\">"), page::body);
    }

    @Test
    void should_serve_the_script_and_the_style_sheet_with_their_content_types() {
        Answer script = get("/dashboard/dashboard.js");
        Answer style = get("/dashboard/dashboard.css");

        assertEquals(200, script.status(), script::toString);
        assertEquals("text/javascript; charset=utf-8", script.contentType());
        assertEquals("no-cache", script.header("Cache-Control"));
        assertTrue(script.body().contains("fetch("), "the dashboard's script");
        assertEquals(200, style.status(), style::toString);
        assertEquals("text/css; charset=utf-8", style.contentType());
        assertEquals("no-cache", style.header("Cache-Control"));
    }

    @Test
    void should_answer_a_json_404_for_any_file_outside_the_dashboards_list() {
        assertError(get("/dashboard/nope.js"), 404, "not_found", "'nope.js'", "dashboard.css, dashboard.js");
        // the page is served at / only, and no name reaches another resource of the classpath
        assertError(get("/dashboard/index.html"), 404, "not_found", "'index.html'");
        assertError(get("/dashboard/..%2Fapplication.properties"), 404, "not_found", "'../application.properties'");
        assertError(get("/dashboard/%2e%2e%2f%2e%2e%2fio%2fslimjobs%2fJson.class"), 404, "not_found");
        assertError(get("/dashboard/../application.properties"), 404, "not_found");
        assertError(get("/dashboard/"), 404, "not_found");
    }

    @Test
    void should_answer_406_to_a_request_for_the_page_that_accepts_no_html() {
        Answer json = http.call(HttpCaller.OUTSIDER, "GET", "/", Map.of("Accept", "application/json"), null);

        assertError(json, 406, "not_acceptable", "GET / answers text/html", "application/json");
        assertEquals(200, http.call(HttpCaller.OUTSIDER, "GET", "/", Map.of("Accept", "*/*"), null).status());
    }

    @Test
    void should_answer_405_to_other_verbs_on_the_dashboard() {
        assertError(post("/", "{}"), 405, "method_not_allowed", "use GET");
        assertError(delete("/dashboard/dashboard.js"), 405, "method_not_allowed", "use GET");
    }
}
