package io.slimjobs.api;

import org.apache.camel.model.rest.ResponseMessageDefinition;
import org.apache.camel.model.rest.RestDefinition;

/** How a REST DSL verb declares its answers, so that the OpenAPI document describes each one. */
final class RestAnswers {

    private RestAnswers() {
    }

    /** A success answer of the verb declared last, with the JSON type of its body (none: no JSON body). */
    static void answer(RestDefinition rest, int status, String meaning, Class<?> body) {
        ResponseMessageDefinition response = rest.responseMessage().code(status).message(meaning);
        if (body != null) {
            response.responseModel(body);
        }
        response.endResponseMessage();
    }

    /** An error answer of the verb declared last, with the `{"error","message"}` body. */
    static void refusal(RestDefinition rest, int status, String meaning) {
        rest.responseMessage().code(status).message(meaning).responseModel(ApiError.class).endResponseMessage();
    }
}
