# The instructor's grading CLI in a container, for clusters (deploy/k8s/, instructor/README.md "Grading on a cluster").
#   docker build -t attention-grade:0.1.0 .
#   docker run --rm --network none -v "$PWD/class:/data/submissions:ro" -v "$PWD/out:/data/out" \
#     attention-grade:0.1.0 /data/submissions --out /data/out/class --secret-seed "…"
# Everything is installed at build time; grading needs no network (run it with --network none, or the
# NetworkPolicy in deploy/k8s/storage.yaml).
FROM node:22-slim

ENV ASTRO_TELEMETRY_DISABLED=1 \
    npm_config_update_notifier=false \
    npm_config_fund=false \
    npm_config_audit=false

WORKDIR /app
COPY package.json package-lock.json ./
# The whole lockfile, dev dependencies included: the CLI runs the graders' TypeScript through tsx and builds the
# sandbox's guest script with esbuild. isolated-vm installs its prebuilt Linux binary for this Node 22.
RUN npm ci && npm cache clean --force

# What grading reads: the graders, the reference engine and submission schema (src/), the exercises' metadata and
# mistake files, the instructor tool and its command line.
COPY tsconfig.json ./
COPY graders ./graders
COPY exercises ./exercises
COPY src ./src
COPY instructor ./instructor
COPY scripts ./scripts

# Not root: the grader only reads the submissions and writes its --out folder (mount it writable for uid 1000).
USER node
ENTRYPOINT ["node", "instructor/bin.mjs"]
CMD ["--help"]
