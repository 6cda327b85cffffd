package io.runstream.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import io.runstream.testing.RequiredTool;

/**
 * The tools that run the deployment files read them as the tests do: Debian's docker-compose validates
 * docker-compose.yml against the Compose schema without a Docker engine, and kubectl's built-in kustomize builds
 * deploy/kubernetes into the resources {@link KubernetesManifests} loads.
 */
class DeploymentToolsIT {

    @Test
    void dockerComposeValidatesTheComposeFileAndResolvesTheSameServices() {
        Tool.Result check = Tool.run(Repo.root(), "docker-compose", "-f", "docker-compose.yml", "config", "-q");
        assertThat(check.exitCode()).as(check.output()).isZero();

        Tool.Result resolved = Tool.run(Repo.root(), "docker-compose", "-f", "docker-compose.yml", "config");
        Map<String, Object> config = YamlMaps.map(new Yaml().load(resolved.output()));
        Map<String, Object> services = YamlMaps.map(config.get("services"));
        ComposeFile compose = ComposeFile.repository();
        assertThat(services.keySet()).containsExactlyInAnyOrderElementsOf(compose.serviceNames());
        for (String name : compose.serviceNames()) {
            Map<String, Object> service = YamlMaps.map(services.get(name));
            assertThat(YamlMaps.map(service.get("environment")).keySet()).as("%s's environment", name)
                    .containsExactlyInAnyOrderElementsOf(compose.service(name).environment().keySet());
            assertThat(YamlMaps.map(service.get("depends_on")).keySet()).as("%s depends on", name)
                    .containsExactlyInAnyOrderElementsOf(compose.service(name).dependsOn());
        }
    }

    @Test
    void kubectlKustomizeBuildsTheResourcesTheManifestTestLoads() {
        // kubectl is part of this machine image (Google's package), not one .ci/run installs: Debian 12's
        // kubernetes-client is kubectl 1.20, whose built-in kustomize is too old to trust (docs/deployment.md)
        RequiredTool.onPath("install kubectl 1.27+ from https://kubernetes.io/docs/tasks/tools/", "kubectl");

        Tool.Result build = Tool.run(Repo.root(), "kubectl", "kustomize", KubernetesManifests.DIRECTORY.toString());

        assertThat(build.exitCode()).as(build.output()).isZero();
        Set<String> built = new TreeSet<>();
        for (Object document : new Yaml().loadAll(build.output())) {
            Map<String, Object> resource = YamlMaps.map(document);
            built.add(resource.get("kind") + "/" + YamlMaps.map(resource.get("metadata")).get("name"));
        }
        assertThat(built).isEqualTo(KubernetesManifests.repository().resources().stream()
                .map(resource -> resource.getKind() + "/" + resource.getMetadata().getName())
                .collect(Collectors.toCollection(TreeSet::new)));
    }
}
