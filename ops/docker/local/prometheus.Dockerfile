# local/prometheus: Debian's Prometheus as the official prom/prometheus image runs it: the
# server as entry point (flags as the command), promtool on the PATH, user nobody, data in
# /prometheus, configuration at /etc/prometheus/prometheus.yml.
ARG BOOKWORM=local/bookworm
FROM ${BOOKWORM}
RUN apt-get update && apt-get install -y prometheus && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /prometheus && chown nobody:nogroup /prometheus
WORKDIR /prometheus
USER nobody
EXPOSE 9090
ENTRYPOINT ["/usr/bin/prometheus"]
CMD ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"]
