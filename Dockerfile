# psp-sandbox: docker build -t psp-sandbox . && docker run -p 8080:8080 psp-sandbox
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src ./src
# npm ci runs "prepare", which compiles src/ to dist/; then drop the dev dependencies.
RUN npm ci && npm prune --omit=dev

FROM node:20-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json README.md ./
COPY scenarios ./scenarios
COPY openapi ./openapi
# State (lowdb snapshot + change log) lives in a volume so transactions survive a restart.
VOLUME /data
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s \
  CMD node -e "fetch('http://127.0.0.1:8080/_sandbox/health').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
ENTRYPOINT ["node", "dist/cli.js"]
CMD ["--host", "0.0.0.0", "--port", "8080", "--data", "/data/db.json"]
