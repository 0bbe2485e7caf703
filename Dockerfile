FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
COPY schemas/package.json schemas/
COPY engine/package.json engine/
COPY workers/package.json workers/
COPY designer/package.json designer/
COPY examples/package.json examples/
RUN npm ci --omit=dev --include-workspace-root
COPY . .
USER node
