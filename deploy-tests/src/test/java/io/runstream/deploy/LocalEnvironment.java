package io.runstream.deploy;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A compose service's environment, made runnable on this machine and nothing more: a value naming one of the
 * service's Docker secrets ({@code /run/secrets/NAME}) becomes that secret's file in the repository, a value
 * naming a bind-mounted path becomes the mounted repository file, and then {@code overrides} replace what only
 * makes sense inside the compose network (the broker's address, the HTTP host and port, the state directory).
 */
final class LocalEnvironment {

    private static final String SECRETS = "/run/secrets/";

    private LocalEnvironment() {
    }

    static Map<String, String> of(ComposeFile compose, ComposeService service, Map<String, String> overrides) {
        Map<String, String> environment = new LinkedHashMap<>();
        service.environment().forEach((name, value) -> environment.put(name, local(compose, service, value)));
        environment.putAll(overrides);
        return environment;
    }

    private static String local(ComposeFile compose, ComposeService service, String value) {
        if (value != null && value.startsWith(SECRETS)) {
            String secret = value.substring(SECRETS.length());
            if (!service.secrets().contains(secret) || compose.secretFiles().get(secret) == null) {
                throw new IllegalStateException(service.name() + " reads " + value + " but is not given a file "
                        + "secret named " + secret);
            }
            return compose.secretFiles().get(secret).toString();
        }
        for (ComposeService.Mount mount : service.volumes()) {
            if (mount.isHostPath() && mount.target().equals(value)) {
                return service.hostPath(mount).toString();
            }
        }
        return value;
    }
}
