# One image for every instance: the zhucun binary and the built SPA.
FROM node:20-bookworm-slim AS spa
WORKDIR /src
COPY openapi ./openapi
COPY frontend/package.json frontend/package-lock.json ./frontend/
RUN cd frontend && npm ci --no-audit --no-fund
COPY frontend ./frontend
RUN cd frontend && npm run build

FROM rust:1.95-bookworm AS api
WORKDIR /src
COPY Cargo.toml Cargo.lock clippy.toml ./
# The SQLite build flags (LIBSQLITE3_FLAGS) live there.
COPY .cargo ./.cargo
COPY crates ./crates
RUN cargo build --release --locked -p zhucun-api

FROM debian:bookworm-slim
RUN useradd --system --create-home --home-dir /var/lib/zhucun zhucun
COPY --from=api /src/target/release/zhucun /usr/local/bin/zhucun
COPY --from=spa /src/frontend/dist /usr/share/zhucun/spa
USER zhucun
WORKDIR /var/lib/zhucun
ENV ZHUCUN_BIND=0.0.0.0:8080 \
    ZHUCUN_STATIC_DIR=/usr/share/zhucun/spa \
    ZHUCUN_DATA_DIR=/var/lib/zhucun
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 CMD ["zhucun", "healthcheck"]
ENTRYPOINT ["zhucun"]
CMD ["serve"]
