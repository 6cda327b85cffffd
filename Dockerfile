# One image for the three Runstream services; docker-compose.yml and the Kubernetes manifests choose the service
# by its main class (the image's command), e.g. `docker run runstream io.runstream.ingest.IngestConnector`.

# Build: the launcher module's package brings every service and its runtime dependencies (target/lib).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -DskipTests -pl launcher -am package

# Run: a JRE, jemalloc, the jars, an unprivileged user.
FROM eclipse-temurin:17-jre
# jemalloc instead of glibc's malloc: RocksDB allocates from many threads, glibc spreads that over per-thread
# arenas it seldom gives back, and the stream processor's RSS kept rising in the soak (docs/reliability.md,
# "The soak"). The link gives the library one path on every architecture.
RUN apt-get update && apt-get install -y --no-install-recommends libjemalloc2 && rm -rf /var/lib/apt/lists/* \
    && ln -s "$(dpkg -L libjemalloc2 | grep '/libjemalloc.so.2$')" /usr/local/lib/libjemalloc.so.2
ENV LD_PRELOAD=/usr/local/lib/libjemalloc.so.2
# The state directory exists in the image, owned by the service's user, so a volume mounted there inherits that.
RUN useradd --system --uid 10001 --home-dir /var/lib/runstream --create-home runstream \
    && install -d -o runstream -g runstream /var/lib/runstream/state
COPY --from=build /src/launcher/target/runstream.jar /opt/runstream/runstream.jar
COPY --from=build /src/launcher/target/lib/ /opt/runstream/lib/
USER 10001
WORKDIR /var/lib/runstream
# The JVM sizes its heap from the container's memory limit; in JAVA_TOOL_OPTIONS so that a service's manifest can
# set its own (the stream processor's pre-touches a smaller heap: docs/configuration.md, "Memory").
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
# java expands the lib/* wildcard itself.
ENTRYPOINT ["java", "-cp", "/opt/runstream/runstream.jar:/opt/runstream/lib/*"]
CMD ["io.runstream.launcher.RunstreamCli", "--help"]
