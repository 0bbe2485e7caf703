# One image for the worker and the API (docker-compose.yml picks the command).
# Stage 1: the workspaces' manifests (and .npmrc: onnxruntime-node's GPU download skipped), which both
# installs below start from, so a source change does not re-run them.
FROM node:20-bookworm-slim AS manifests
WORKDIR /app
COPY .npmrc ./
COPY package.json package-lock.json ./
COPY schemas/package.json schemas/
COPY engine/config/package.json engine/config/
COPY engine/core/package.json engine/core/
COPY engine/workflow/package.json engine/workflow/
COPY engine/store/package.json engine/store/
COPY engine/telemetry/package.json engine/telemetry/
COPY engine/server/package.json engine/server/
COPY engine/cli/package.json engine/cli/
COPY workers/ai/package.json workers/ai/
COPY workers/sdk/package.json workers/sdk/
COPY workers/worker/package.json workers/worker/
COPY designer/package.json designer/
COPY examples/package.json examples/
COPY test/package.json test/

# Stage 2 builds the web app (designer + inbox) with the dev dependencies (Vite).
FROM manifests AS web
RUN npm ci --include-workspace-root
COPY . .
RUN npm run build -w @baton/designer

# Stage 3: runtime dependencies only (tsx runs the TypeScript sources), plus the built web app.
FROM manifests
ENV NODE_ENV=production
RUN npm ci --omit=dev --include-workspace-root
COPY . .
COPY --from=web /app/designer/dist designer/dist
USER node
# SIGTERM reaches node directly (exec form in docker-compose.yml): the worker and the API shut down gracefully.
