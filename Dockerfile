# syntax=docker/dockerfile:1
# Build: compile TypeScript, bundle the service into dist/roster.mjs (scripts/bundle.mjs) and
# better-sqlite3's native addon, then keep production packages only (the bundle loads
# better-sqlite3, pg and swagger-ui-dist's files from node_modules).
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ormconfig.ts ./
COPY scripts ./scripts
COPY src ./src
RUN npm run build && npm prune --omit=dev

# Run: no compilers, a non-root user. The service applies pending migrations itself as it starts
# (migrationsRun), so the image runs it alone. To apply them ahead, as a release step:
#   docker run --rm -e DATABASE_URL=… roster node node_modules/typeorm/cli.js migration:run -d dist/ormconfig.js
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    PORT=3000 \
    DATABASE_URL=sqlite:/data/roster.sqlite
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/roster.mjs"]
