package io.runstream.workers.kubernetes;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.runstream.avro.ActionOutcome;
import io.runstream.avro.ActionResult;
import io.runstream.avro.ActionTarget;
import io.runstream.workers.Verifier;

/**
 * Follows the rollout an APPLIED Kubernetes change started, on its own thread, polling the workload (a plain
 * {@code get}, the permission the executors already have) every {@code pollInterval} until {@link RolloutStatus}
 * says complete (SUCCEEDED), stalled (FAILED {@code rollout_stalled}), or the deadline in the APPLIED result's
 * {@code after.rolloutDeadline} passes first (FAILED {@code rollout_timeout}); a workload that is gone is FAILED
 * {@code not_found}. The final result repeats the APPLIED one (same command id, target, before/after) with the
 * outcome, the reason and what was seen. Meters: {@code runstream_rollout_verifications_total{type,outcome,reason}},
 * {@code runstream_rollout_verification_seconds{type,outcome}} (from APPLIED to final) and
 * {@code runstream_rollout_verifications_pending}.
 */
public final class RolloutVerifier implements Verifier {

    private static final Logger LOG = LoggerFactory.getLogger(RolloutVerifier.class);

    /** The longest a change is verified after its command's expiry (a command's rolloutTimeout is capped there). */
    public static final Duration LONGEST_VERIFICATION = RolloutWait.MAX_TIMEOUT;

    private final KubernetesClient client;
    private final Clock clock;
    private final Duration pollInterval;
    private final Duration defaultTimeout;
    private final MeterRegistry registry;
    private final AtomicInteger pending = new AtomicInteger();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "rollout-verifier");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * @param defaultTimeout the wait for an APPLIED result that carries no deadline (written by an older worker)
     */
    public RolloutVerifier(KubernetesClient client, Clock clock, Duration pollInterval, Duration defaultTimeout,
            MeterRegistry registry) {
        this.client = client;
        this.clock = clock;
        this.pollInterval = pollInterval;
        this.defaultTimeout = defaultTimeout;
        this.registry = registry;
        Gauge.builder("runstream_rollout_verifications_pending", pending, AtomicInteger::get)
                .description("APPLIED changes whose rollout is being verified").register(registry);
    }

    @Override
    public void follow(ActionResult applied, Consumer<ActionResult> publish) {
        pending.incrementAndGet();
        schedule(new Rollout(applied, deadline(applied), publish), Duration.ZERO);
    }

    private Instant deadline(ActionResult applied) {
        String text = applied.getAfter().get(RolloutWait.DEADLINE);
        try {
            return text == null ? applied.getFinishedAt().plus(defaultTimeout) : Instant.parse(text);
        } catch (DateTimeParseException e) {
            return applied.getFinishedAt().plus(defaultTimeout);
        }
    }

    /** One rollout being followed, and where its final result goes. */
    private record Rollout(ActionResult applied, Instant deadline, Consumer<ActionResult> publish) {
        String name() {
            ActionTarget t = applied.getTarget();
            return t.getKind() + " " + t.getNamespace() + "/" + t.getName();
        }
    }

    private void schedule(Rollout rollout, Duration delay) {
        try {
            scheduler.schedule(() -> check(rollout), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closed: the APPLIED result stays without a final one, and the next start follows it again
            LOG.debug("verifier closed; {} left for the next start", rollout.applied().getCommandId());
        }
    }

    private void check(Rollout rollout) {
        String seen;
        try {
            HasMetadata workload = read(rollout.applied().getTarget());
            if (workload == null) {
                finish(rollout, ActionOutcome.FAILED, "not_found", rollout.name() + " no longer exists; its rollout"
                        + " cannot complete");
                return;
            }
            RolloutStatus status = RolloutStatus.of(workload);
            Instant now = clock.instant();
            if (status.complete() && !now.isAfter(rollout.deadline())) {
                finish(rollout, ActionOutcome.SUCCEEDED, null, "rollout of " + rollout.name() + " complete: "
                        + status.seen());
                return;
            }
            if (status.stalled()) {
                finish(rollout, ActionOutcome.FAILED, "rollout_stalled", "rollout of " + rollout.name()
                        + " stalled, the controller reports " + RolloutStatus.DEADLINE_EXCEEDED + ": " + status.seen());
                return;
            }
            seen = status.complete() ? "complete only after the deadline: " + status.seen() : status.seen();
        } catch (KubernetesClientException e) {
            // the API server may be briefly unavailable: keep trying until the deadline
            seen = "last read failed (HTTP " + e.getCode() + "): " + e.getMessage();
        } catch (RuntimeException e) {
            seen = "last read failed: " + e;
        }
        if (clock.instant().isAfter(rollout.deadline())) {
            finish(rollout, ActionOutcome.FAILED, "rollout_timeout", "rollout of " + rollout.name()
                    + " not complete by its deadline " + rollout.deadline() + ": " + seen);
        } else {
            schedule(rollout, pollInterval);
        }
    }

    private HasMetadata read(ActionTarget target) {
        return switch (target.getKind()) {
            case "Deployment" -> client.apps().deployments().inNamespace(target.getNamespace())
                    .withName(target.getName()).get();
            case "StatefulSet" -> client.apps().statefulSets().inNamespace(target.getNamespace())
                    .withName(target.getName()).get();
            default -> throw new IllegalStateException("no rollout to verify for kind " + target.getKind());
        };
    }

    private void finish(Rollout rollout, ActionOutcome outcome, String reasonCode, String message) {
        ActionResult applied = rollout.applied();
        Instant now = clock.instant();
        ActionResult done = Verifier.finalOf(applied, outcome, reasonCode, message, now);
        pending.decrementAndGet();
        String type = applied.getType().name();
        Counter.builder("runstream_rollout_verifications_total")
                .description("Rollouts of APPLIED changes followed to their final result")
                .tags("type", type, "outcome", outcome.name(), "reason", reasonCode == null ? "complete" : reasonCode)
                .register(registry).increment();
        Timer.builder("runstream_rollout_verification").description("Time from APPLIED to the final result")
                .tags("type", type, "outcome", outcome.name()).register(registry)
                .record(Duration.between(applied.getFinishedAt(), now).abs());
        LOG.info("{} {}: {} {}", applied.getCommandId(), outcome, reasonCode == null ? "" : reasonCode, message);
        try {
            rollout.publish().accept(done);
        } catch (RuntimeException e) {
            // the APPLIED result stays without a final one; the next start follows the rollout again
            LOG.error("could not publish the final result of {}", applied.getCommandId(), e);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
