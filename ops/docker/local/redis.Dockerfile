# local/redis:7: Debian's Redis 7 as the official redis image runs it: `redis-server` as the
# redis user in /data (where AOF and RDB files go).
ARG BOOKWORM=local/bookworm
FROM ${BOOKWORM}
RUN apt-get update && apt-get install -y redis-server && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /data && chown redis:redis /data
WORKDIR /data
USER redis
EXPOSE 6379
CMD ["redis-server"]
