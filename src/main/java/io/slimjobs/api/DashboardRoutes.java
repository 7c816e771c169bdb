package io.slimjobs.api;

import static io.slimjobs.api.RestAnswers.answer;
import static io.slimjobs.api.RestAnswers.refusal;

import io.slimjobs.Endpoints;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.rest.RestDefinition;
import org.apache.camel.model.rest.RestParamType;

/**
 * The live dashboard: a static page whose script reads the JSON API as the person viewing it, so it shows exactly
 * what the API lets that caller see. The page itself needs no trusted caller.
 */
public class DashboardRoutes extends RouteBuilder {

    @Override
    public void configure() {
        RestDefinition dashboard = rest().description("The live dashboard");
        dashboard.get("/").id("dashboard").description("The live dashboard: every job the caller may see, with its"
                        + " queue, executions, counts and schedules, refreshed every 2 seconds; triggers and deletes"
                        + " executions")
                .produces("text/html");
        answer(dashboard, 200, "the dashboard page", null);
        dashboard.to(Endpoints.DASHBOARD_PAGE);

        dashboard.get("/dashboard/{file}").id("dashboard-file").description("A file the dashboard page loads: its"
                        + " script or its style sheet")
                .produces("text/javascript,text/css")
                .param().name(DashboardFiles.FILE).type(RestParamType.path).dataType("string")
                    .description("dashboard.js or dashboard.css").endParam();
        answer(dashboard, 200, "the file", null);
        refusal(dashboard, 404, "not_found: the dashboard has no such file");
        dashboard.to(Endpoints.DASHBOARD_FILE);

        from(Endpoints.DASHBOARD_PAGE).routeId("dashboard-page").routeConfigurationId(ApiErrorHandling.ID)
                .bean(DashboardFiles.class, "page");

        from(Endpoints.DASHBOARD_FILE).routeId("dashboard-file").routeConfigurationId(ApiErrorHandling.ID)
                .bean(DashboardFiles.class, "asset");
    }
}
