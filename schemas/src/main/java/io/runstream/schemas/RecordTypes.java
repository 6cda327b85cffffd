package io.runstream.schemas;

import java.util.List;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

import io.runstream.avro.ActionCommand;
import io.runstream.avro.ActionResult;
import io.runstream.avro.Alert;
import io.runstream.avro.DeploymentEvent;
import io.runstream.avro.DriftScore;
import io.runstream.avro.Incident;
import io.runstream.avro.IncidentCommand;
import io.runstream.avro.IncidentEvent;
import io.runstream.avro.IncidentRecordState;
import io.runstream.avro.MetricSample;
import io.runstream.avro.RecentRolloutState;
import io.runstream.avro.RunbookProgressState;
import io.runstream.avro.ServiceHealth;
import io.runstream.avro.TimerState;

/**
 * The record types that travel on Runstream's topics, and in the changelogs of the state stores that the
 * incident API serves (ServiceHealth), and the values of the stream processor's other state stores: each one is
 * a released, versioned contract, so a rolling upgrade restores the state an earlier release wrote.
 */
public final class RecordTypes {

    public static final List<Class<? extends SpecificRecord>> TOPICS = List.of(
            Alert.class, MetricSample.class, DriftScore.class, DeploymentEvent.class, IncidentCommand.class,
            Incident.class, IncidentEvent.class, ActionCommand.class, ActionResult.class, ServiceHealth.class);

    /** Values of the stream processor's state stores (besides the topics' records some stores hold). */
    public static final List<Class<? extends SpecificRecord>> STATE = List.of(
            TimerState.class, RunbookProgressState.class, RecentRolloutState.class, IncidentRecordState.class);

    public static final List<Class<? extends SpecificRecord>> ALL = java.util.stream.Stream
            .concat(TOPICS.stream(), STATE.stream()).toList();

    private RecordTypes() {
    }

    public static Schema currentSchema(Class<? extends SpecificRecord> type) {
        return SpecificData.get().getSchema(type);
    }
}
