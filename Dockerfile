# syntax=docker/dockerfile:1
# Kubemate Portal image: Backstage's production build adapted to this repository (npm workspaces,
# not Yarn). The backend is transpiled in place by deploy/test/build-backend.sh (packages/backend/
# dist: `backstage-cli package build` with the backend role would pack the workspaces with Yarn) and
# runs inside the workspace, where Kubemate's TypeScript plugins load through the Backstage CLI's
# transform (dist/start-in-workspace.cjs); the app is built by `backstage-cli package build` and
# served by @backstage/plugin-app-backend. Used by deploy/helm/kubemate-portal.
#
#   docker build -t kubemate/portal:0.1.0 .
#   docker run -p 7007:7007 -e KUBEMATE_BASE_URL=http://localhost:7007 -e POSTGRES_HOST=... kubemate/portal:0.1.0

# ---- build: install every workspace, typecheck, transpile the backend, bundle the app
FROM node:22-bookworm-slim AS build
# native modules (better-sqlite3, isolated-vm) compile with node-gyp when no prebuilt binary fits
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 g++ make \
  && rm -rf /var/lib/apt/lists/*
ENV PYTHON=/usr/bin/python3
WORKDIR /app
# the lockfile and every workspace's package.json first: the install layer is cached until they change
COPY package.json package-lock.json ./
COPY packages/app/package.json packages/app/
COPY packages/backend/package.json packages/backend/
COPY plugins plugins
COPY deploy/dev/package.json deploy/dev/
RUN npm ci --legacy-peer-deps --no-audit --no-fund
COPY . .
RUN node_modules/.bin/tsc \
  && bash deploy/test/build-backend.sh \
  && (cd packages/app && ../../node_modules/.bin/backstage-cli package build) \
  && rm -rf dist-types .kubemate e2e bench \
  && npm cache clean --force

# ---- runtime
FROM node:22-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
# owned by root, readable by all: the runtime user (node, uid 1000) cannot change the image's files
COPY --from=build /app /app
USER node
EXPOSE 7007
CMD ["node", "packages/backend/dist/start-in-workspace.cjs", "--config", "app-config.yaml", "--config", "app-config.production.yaml"]
