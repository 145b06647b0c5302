# One image for every role of the cluster — api (`serve`), `worker`, the simulated J-LIS (`pki`)
# and the reference bank (`institution`): docker-compose.yml builds it once and names it.
#
# BASE_IMAGE: Node.js 24 (LTS) on Debian bookworm with npm and a `node` user (uid 1000). The
# default is the official image pinned by digest (docs/operations.md, "Images", says where the
# digest comes from and how to refresh it). Without a registry, build a local one from Debian's
# packages and the npm registry (ops/docker/build-local-images.sh) and pass it:
#   docker build --build-arg BASE_IMAGE=local/node:24-bookworm -t jpki-verify .
ARG BASE_IMAGE=node:24.21.0-bookworm-slim@sha256:2fe369e969550cde8e867afc3fe370b260140cab4a23d467074295b42163d553

# Compile with the dev toolchain, then keep the production dependencies only.
FROM ${BASE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json ./
# Behind a TLS-intercepting proxy, npm must trust the proxy's CA: pass it (PEM text) as
# NPM_EXTRA_CA. It lives in this build stage only; the runtime image trusts Node's own CA store.
ARG NPM_EXTRA_CA=
RUN if [ -n "$NPM_EXTRA_CA" ]; then printf '%s\n' "$NPM_EXTRA_CA" > /tmp/npm-extra-ca.pem; export NODE_EXTRA_CA_CERTS=/tmp/npm-extra-ca.pem; fi \
 && npm ci --no-audit --no-fund
COPY src src
COPY workers workers
COPY bench bench
COPY test test
RUN npx tsc -p tsconfig.json && npm prune --omit=dev --no-audit --no-fund

FROM ${BASE_IMAGE}
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist/src dist/src
COPY --from=build /app/dist/workers dist/workers
# The limbo/pkits CLI commands read the exceptions list next to the sources.
COPY test/conformance/exceptions.json test/conformance/exceptions.json
RUN mkdir -p /data /etc/jpki && chown node:node /data
USER node
EXPOSE 8080
ENTRYPOINT ["node", "dist/src/cli/main.js"]
CMD ["serve", "--config", "/etc/jpki/config.json"]
