package io.runstream.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.yaml.snakeyaml.Yaml;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * deploy/kubernetes as {@code kubectl apply -k} sees it: the kustomization's resources, in order, each file's
 * documents read into fabric8's typed model (a kind or apiVersion fabric8 does not know fails the load).
 */
final class KubernetesManifests {

    static final Path DIRECTORY = Path.of("deploy/kubernetes");

    private final List<Path> files;
    private final List<HasMetadata> resources;

    private KubernetesManifests(List<Path> files, List<HasMetadata> resources) {
        this.files = files;
        this.resources = resources;
    }

    static KubernetesManifests repository() {
        Path directory = Repo.file(DIRECTORY.toString());
        KubernetesSerialization serialization = new KubernetesSerialization();
        ObjectMapper json = new ObjectMapper();
        List<Path> files = new ArrayList<>();
        List<HasMetadata> resources = new ArrayList<>();
        for (Object name : YamlMaps.list(YamlFiles.read(directory.resolve("kustomization.yaml")).get("resources"))) {
            Path file = directory.resolve(String.valueOf(name));
            files.add(file);
            for (Object document : new Yaml().loadAll(read(file))) {
                if (document != null) {
                    resources.add(serialization.unmarshal(toJson(json, document, file), HasMetadata.class));
                }
            }
        }
        return new KubernetesManifests(files, resources);
    }

    /** The files the kustomization lists. */
    List<Path> files() {
        return files;
    }

    List<HasMetadata> resources() {
        return resources;
    }

    <T extends HasMetadata> List<T> all(Class<T> kind) {
        return resources.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    <T extends HasMetadata> Optional<T> find(Class<T> kind, String name) {
        return all(kind).stream().filter(resource -> resource.getMetadata().getName().equals(name)).findFirst();
    }

    <T extends HasMetadata> T get(Class<T> kind, String name) {
        return find(kind, name).orElseThrow(() -> new AssertionError("no " + kind.getSimpleName() + " " + name
                + " in " + DIRECTORY));
    }

    private static String toJson(ObjectMapper json, Object document, Path file) {
        try {
            return json.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(file + ": " + e.getMessage(), e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
