# syntax=docker/dockerfile:1
# The plinth controller image. Build: docker build -t plinth .   Run: docker run plinth (serves), or docker run plinth validate /repo

# --- build: compile TypeScript, then keep only production dependencies ---
FROM node:20-bookworm-slim AS build
# better-sqlite3 and ssh2 build native code when no prebuilt binary fits.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY reconciler ./reconciler
RUN npm run build && npm prune --omit=dev

# --- runtime: Node, tini as PID 1, and the programs the drivers call ---
FROM node:20-bookworm-slim
# dnsmasq serves DHCP (port 67, raw sockets) for a non-root controller: it gets just those capabilities as file
# capabilities; the container must still be allowed them (--cap-add NET_BIND_SERVICE --cap-add NET_RAW --cap-add NET_ADMIN).
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini ipmitool dnsmasq-base openssh-client ca-certificates libcap2-bin \
 && setcap cap_net_bind_service,cap_net_raw,cap_net_admin+ep /usr/sbin/dnsmasq \
 && apt-get purge -y libcap2-bin && apt-get autoremove -y \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /opt/plinth
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY package.json ./
COPY bin ./bin
COPY schemas ./schemas
COPY roles ./roles
COPY boot-assets ./boot-assets
RUN useradd --system --uid 10001 --home-dir /var/lib/plinth --create-home plinth
USER plinth
ENV NODE_ENV=production
# tini reaps the dnsmasq, ipmitool and ssh children and forwards signals, so the controller stops cleanly.
ENTRYPOINT ["tini", "--", "node", "bin/plinth.js"]
CMD ["serve"]
