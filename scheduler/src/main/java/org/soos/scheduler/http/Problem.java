package org.soos.scheduler.http;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An error answer in the shape of RFC 9457 ({@code application/problem+json}), with one extension
 * member: {@code field}, the request parameter, path segment or body field that was wrong.
 *
 * @param type problem type URI; {@code about:blank} (the status says it all)
 * @param title the HTTP reason phrase
 * @param status the HTTP status code
 * @param detail what went wrong, for a person
 * @param instance the request path
 * @param field the offending input, when the problem is bad input; omitted otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance, String field) {}
