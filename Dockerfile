FROM node:20-bookworm-slim
# Debian's Chromium: the crawler never downloads a browser of its own.
RUN apt-get update && apt-get install -y --no-install-recommends chromium ca-certificates && rm -rf /var/lib/apt/lists/*
ENV CHROMIUM_PATH=/usr/bin/chromium NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY . .
USER node
ENTRYPOINT []
CMD ["node", "bin/radar.mjs", "--help"]
