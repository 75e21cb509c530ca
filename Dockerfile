# psp-sandbox: docker build -t psp-sandbox . && docker run -p 8080:8080 psp-sandbox
# Arguments append to the entrypoint: docker run -p 8080:8080 psp-sandbox --clock virtual
# Node 22 is a maintained LTS line (Node 20 reached end of life in April 2026).

# Build stage: dev dependencies; TypeScript compiles src/ to dist/ and esbuild bundles the command.
FROM node:22-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY scenarios ./scenarios
COPY scripts/built-in-scenarios.mjs scripts/bundle-cli.mjs ./scripts/
RUN npm run build

# Runtime stage: production dependencies and compiled JavaScript only (no TypeScript, no msw,
# no dev dependencies), run as the image's unprivileged "node" user.
FROM node:22-slim AS runtime
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8080 DATA=/data/db.json
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY scenarios ./scenarios
COPY schemas ./schemas
COPY openapi ./openapi
COPY LICENSE README.md ./
RUN rm -f dist/.tsbuildinfo && mkdir -p /data && chown node:node /data
USER node
# State (lowdb snapshot + change log) lives in a volume so transactions survive a restart.
VOLUME /data
EXPOSE 8080
# Follows $PORT and $HOST (and sends $PSP_SANDBOX_ADMIN_TOKEN when set), with the image's node.
HEALTHCHECK --interval=10s --timeout=5s --start-period=10s --retries=3 CMD ["node", "dist/cli.js", "health"]
ENTRYPOINT ["node", "dist/cli.js"]
CMD []
