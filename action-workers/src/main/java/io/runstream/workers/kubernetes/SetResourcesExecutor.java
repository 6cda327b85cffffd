package io.runstream.workers.kubernetes;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.runstream.avro.ActionCommand;
import io.runstream.avro.ActionType;
import io.runstream.workers.RejectedCommandException;

/**
 * SET_RESOURCES, like {@code kubectl set resources} but only upwards unless told otherwise (runbook 004,
 * "Increase memory limits temporarily"), on the target's container (or the first). Each of {@code limits.cpu},
 * {@code limits.memory}, {@code limits.nvidia.com/gpu}, {@code requests.cpu}, {@code requests.memory} is either a
 * quantity such as {@code 2Gi}, a floor: raised to it when lower or unset, left alone when already higher; or a
 * factor such as {@code x1.5} of the current value, rounded up to whole Mi (memory), millicores (cpu) or devices.
 * Only {@code allowDecrease=true} lets a quantity or a factor below 1 lower a value. A request is never left above
 * its (new) limit: it is capped at the limit. Before/after keys are the resource keys, {@code <unset>} for absent;
 * a floor already met gives before = after, hence ALREADY_APPLIED.
 */
public final class SetResourcesExecutor extends TemplateChange {

    private static final List<String> LIMITS = List.of("limits.cpu", "limits.memory", "limits.nvidia.com/gpu");
    private static final List<String> REQUESTS = List.of("requests.cpu", "requests.memory");
    static final String ALLOW_DECREASE = "allowDecrease";
    private static final BigDecimal MAX_FACTOR = BigDecimal.TEN;
    private static final BigDecimal MI = BigDecimal.valueOf(1024L * 1024);

    public SetResourcesExecutor(KubernetesCalls calls) {
        super(calls);
    }

    @Override
    public ActionType type() {
        return ActionType.SET_RESOURCES;
    }

    /** One parameter: a floor (or, with allowDecrease, an exact value) or a factor of the current value. */
    private record Wanted(String key, String text, Quantity quantity, BigDecimal factor) {

        static Wanted parse(String key, String text) {
            String value = text.trim();
            if (value.startsWith("x")) {
                try {
                    BigDecimal factor = new BigDecimal(value.substring(1));
                    if (factor.signum() > 0 && factor.compareTo(MAX_FACTOR) <= 0) {
                        return new Wanted(key, value, null, factor);
                    }
                } catch (NumberFormatException e) {
                    // reported below
                }
                throw new RejectedCommandException("malformed_parameters", key + ": '" + text
                        + "' is not a factor; write x1.5 (more than 0, at most x" + MAX_FACTOR + ")");
            }
            try {
                Quantity quantity = new Quantity(value);
                if (Quantity.getAmountInBytes(quantity).signum() >= 0) {
                    return new Wanted(key, value, quantity, null);
                }
            } catch (RuntimeException e) {
                // reported below
            }
            throw new RejectedCommandException("malformed_parameters", key + " is not a quantity (e.g. 2Gi, 500m)"
                    + " or a factor (e.g. x1.5): '" + text + "'");
        }
    }

    @Override
    protected Plan plan(ActionCommand command, HasMetadata workload, PodTemplateSpec template) {
        Map<String, String> parameters = new LinkedHashMap<>(command.getParameters());
        boolean allowDecrease = allowDecrease(parameters.remove(ALLOW_DECREASE));
        Map<String, Wanted> wanted = new LinkedHashMap<>();
        // limits first: a request is checked against the limit it will have
        for (String key : concat(LIMITS, REQUESTS)) {
            if (parameters.containsKey(key)) {
                wanted.put(key, Wanted.parse(key, parameters.remove(key)));
            }
        }
        if (!parameters.isEmpty()) {
            throw new RejectedCommandException("malformed_parameters", "SET_RESOURCES takes " + concat(LIMITS,
                    REQUESTS) + ", " + ALLOW_DECREASE + " and " + RolloutWait.PARAMETER + ", not "
                    + parameters.keySet());
        }
        if (wanted.isEmpty()) {
            throw new RejectedCommandException("malformed_parameters", "SET_RESOURCES needs limits.* or requests.*");
        }
        Container container = container(command.getTarget(), template);
        if (container.getResources() == null) {
            container.setResources(new ResourceRequirements());
        }
        ResourceRequirements resources = container.getResources();
        Map<String, Quantity> next = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        wanted.values().forEach(w -> next.put(w.key(), resolve(w, current(resources, w.key()), allowDecrease,
                notes)));
        capRequests(resources, next, notes);
        Map<String, String> before = new LinkedHashMap<>();
        Map<String, String> after = new LinkedHashMap<>();
        next.forEach((key, quantity) -> {
            Quantity current = current(resources, key);
            before.put(key, current == null ? SetEnvExecutor.UNSET : current.toString());
            after.put(key, quantity.toString());
        });
        return new Plan(before, after, () -> next.forEach((key, quantity) -> section(resources, key)
                .put(resourceName(key), quantity)),
                "set resources " + after + " on " + workload.getMetadata().getName() + "/" + container.getName()
                        + (notes.isEmpty() ? "" : " (" + String.join("; ", notes) + ")"));
    }

    /** The value a parameter leads to, given the current one. */
    private static Quantity resolve(Wanted wanted, Quantity current, boolean allowDecrease, List<String> notes) {
        if (wanted.factor() != null) {
            if (current == null) {
                throw new RejectedCommandException("malformed_parameters", wanted.key() + ": " + wanted.text()
                        + " needs a current value to multiply, and the container sets none");
            }
            if (wanted.factor().compareTo(BigDecimal.ONE) < 0 && !allowDecrease) {
                throw new RejectedCommandException("malformed_parameters", wanted.key() + ": " + wanted.text()
                        + " would lower " + current + "; lowering needs " + ALLOW_DECREASE + "=true");
            }
            return unlessEqual(rounded(wanted.key(), amount(current).multiply(wanted.factor())), current);
        }
        if (current != null && !allowDecrease && amount(wanted.quantity()).compareTo(amount(current)) < 0) {
            notes.add(wanted.key() + " kept at " + current + ", above the floor " + wanted.quantity());
            return current;
        }
        return unlessEqual(wanted.quantity(), current);
    }

    /** The current quantity when the new one is the same amount (2048Mi for 2Gi), so nothing changes. */
    private static Quantity unlessEqual(Quantity next, Quantity current) {
        return current != null && amount(next).compareTo(amount(current)) == 0 ? current : next;
    }

    /** Caps each request, wanted or current, at its resource's (new) limit, as the API server requires. */
    private static void capRequests(ResourceRequirements resources, Map<String, Quantity> next, List<String> notes) {
        for (String request : REQUESTS) {
            String limitKey = "limits." + resourceName(request);
            Quantity limit = next.containsKey(limitKey) ? next.get(limitKey) : current(resources, limitKey);
            Quantity value = next.containsKey(request) ? next.get(request) : current(resources, request);
            if (limit != null && value != null && amount(value).compareTo(amount(limit)) > 0) {
                notes.add(request + " capped at the limit " + limit);
                next.put(request, limit);
            }
        }
    }

    /** Rounded up: whole Mi for memory (as Gi when whole), millicores for cpu, whole devices otherwise. */
    private static Quantity rounded(String key, BigDecimal amount) {
        if (key.endsWith(".memory")) {
            BigDecimal mi = amount.divide(MI, 0, RoundingMode.CEILING);
            return mi.remainder(BigDecimal.valueOf(1024)).signum() == 0
                    ? new Quantity(mi.divide(BigDecimal.valueOf(1024)).toPlainString(), "Gi")
                    : new Quantity(mi.toPlainString(), "Mi");
        }
        if (key.endsWith(".cpu")) {
            BigDecimal milli = amount.movePointRight(3).setScale(0, RoundingMode.CEILING);
            return milli.remainder(BigDecimal.valueOf(1000)).signum() == 0
                    ? new Quantity(milli.movePointLeft(3).setScale(0).toPlainString())
                    : new Quantity(milli.toPlainString(), "m");
        }
        return new Quantity(amount.setScale(0, RoundingMode.CEILING).toPlainString());
    }

    private static boolean allowDecrease(String value) {
        if (value == null || value.equalsIgnoreCase("false")) {
            return false;
        }
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        throw new RejectedCommandException("malformed_parameters", ALLOW_DECREASE + " must be true or false, was '"
                + value + "'");
    }

    private static BigDecimal amount(Quantity quantity) {
        return Quantity.getAmountInBytes(quantity);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static Quantity current(ResourceRequirements resources, String key) {
        Map<String, Quantity> section = key.startsWith("limits.") ? resources.getLimits() : resources.getRequests();
        return section == null ? null : section.get(resourceName(key));
    }

    private static Map<String, Quantity> section(ResourceRequirements resources, String key) {
        if (key.startsWith("limits.")) {
            if (resources.getLimits() == null) {
                resources.setLimits(new HashMap<>());
            }
            return resources.getLimits();
        }
        if (resources.getRequests() == null) {
            resources.setRequests(new HashMap<>());
        }
        return resources.getRequests();
    }

    private static String resourceName(String key) {
        return key.substring(key.indexOf('.') + 1);
    }
}
