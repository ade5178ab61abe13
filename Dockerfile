# One multi-stage image definition for every app of the bus: `--build-arg APP=<app>`.
FROM node:24-bookworm-slim AS build
WORKDIR /bus
COPY package.json package-lock.json .npmrc ./
# npm ci applies patches/ (patch-package, the postinstall script).
COPY patches ./patches
RUN npm ci --no-fund --no-audit
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY tools ./tools
COPY apps ./apps
COPY libs ./libs
COPY schemas ./schemas
RUN npm run build && npm prune --omit=dev

FROM node:24-bookworm-slim AS runtime
ARG APP
ENV NODE_ENV=production \
    NODE_OPTIONS=--disable-warning=TimeoutNegativeWarning \
    APP_ENTRY=dist/apps/${APP}/src/main.js
WORKDIR /bus
COPY --from=build /bus/node_modules ./node_modules
COPY --from=build /bus/dist ./dist
COPY --from=build /bus/package.json ./package.json
USER node
CMD ["sh", "-c", "exec node \"$APP_ENTRY\""]
