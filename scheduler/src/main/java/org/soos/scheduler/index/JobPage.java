package org.soos.scheduler.index;

import java.util.List;

/**
 * One page of {@code GET /v1/jobs}.
 *
 * @param jobs the jobs of the page, in submission order
 * @param count number of jobs in this page
 * @param nextCursor where the next page starts; null when this page reached the end
 */
public record JobPage(List<JobSummary> jobs, int count, String nextCursor) {}
