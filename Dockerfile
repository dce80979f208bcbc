# adwarden's server image: `serve` (the HTTP service, and its workers unless --no-worker) or `worker`.
# docker build -t adwarden . && docker compose up  (compose.yaml: PostgreSQL, one serve, two workers)

# --- build: compile src/ to dist/ with the dev dependencies ---------------------------------------
FROM node:24.21.0-bookworm-slim AS build
WORKDIR /build
COPY package.json package-lock.json ./
# Install scripts run after the prune below (npm rebuild), for the production dependencies only.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY bin ./bin
COPY scripts ./scripts
COPY src ./src
RUN npm run build && npm prune --omit=dev --ignore-scripts --no-audit --no-fund \
  && npm rebuild --no-audit --no-fund

# --- runtime: the built package, production dependencies only, as an unprivileged user -----------
FROM node:24.21.0-bookworm-slim
ENV NODE_ENV=production \
    ADWARDEN_HOST=0.0.0.0 \
    ADWARDEN_PORT=7420 \
    ADWARDEN_DATA_DIR=/var/lib/adwarden
WORKDIR /app
COPY --from=build /build/package.json /build/package-lock.json ./
COPY --from=build /build/node_modules ./node_modules
COPY --from=build /build/dist ./dist
COPY --from=build /build/bin ./bin
COPY scenarios ./scenarios
RUN mkdir -p /var/lib/adwarden && chown node:node /var/lib/adwarden
USER node
VOLUME ["/var/lib/adwarden"]
EXPOSE 7420
# Ready means the database answers and, embedded, the data dir has room (GET /readyz).
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.ADWARDEN_PORT||7420)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node", "bin/adwarden.js"]
CMD ["serve"]
