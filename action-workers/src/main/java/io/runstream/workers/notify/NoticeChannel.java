package io.runstream.workers.notify;

import io.runstream.avro.ActionCommand;
import io.runstream.workers.Execution;

/**
 * A place NOTIFY or TICKET delivers a notice to besides their webhooks, chosen by the command's target kind
 * (statuspage, email, jira). A channel that is not configured refuses with {@code channel_not_configured}, so the
 * inbox fallback can take the notice instead.
 */
interface NoticeChannel {

    /** The target kind this channel serves. */
    String kind();

    /** Delivers (or, with {@code dryRun}, describes) the notice the command carries. */
    Execution deliver(ActionCommand command, Notice notice, boolean dryRun);
}
