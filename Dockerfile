# Multi-stage build: compile with the dev toolchain, run with production dependencies only.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json ./
RUN npm ci --no-audit --no-fund
COPY src src
COPY workers workers
COPY bench bench
COPY test test
RUN npx tsc -p tsconfig.json

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist dist
# The limbo/pkits CLI commands read the exceptions list next to the sources.
COPY test/conformance/exceptions.json test/conformance/exceptions.json
RUN mkdir -p /data /etc/jpki && chown node:node /data
USER node
EXPOSE 8080
ENTRYPOINT ["node", "dist/src/cli/main.js"]
CMD ["serve", "--config", "/etc/jpki/config.json"]
