# alorig: one image for every container of docker-compose.alorig.yml.
#
#   docker build --build-arg VERSION="$(git describe --tags --always)" -t alorig:latest .
#
# Written for the classic builder as well as BuildKit (no RUN --mount, no heredocs), because
# Debian's docker-compose 1.29 may build with either.

ARG GO_VERSION=1.26

# --- build: cgo against Debian's Swiss Ephemeris ---------------------------------------------
FROM golang:${GO_VERSION}-bookworm AS build

# The build stage and the runtime stage are both Debian 12, so the libswe the binary was linked
# against (libswe-dev 2.10) is the very one libswe2.0 installs at run time.
RUN apt-get update \
	&& apt-get install -y --no-install-recommends libswe-dev pkg-config make \
	&& rm -rf /var/lib/apt/lists/*

WORKDIR /src
ENV CGO_ENABLED=1 \
	GOFLAGS=-buildvcs=false

# Modules first: this layer stays cached until go.mod or go.sum change.
COPY go.mod go.sum ./
RUN go mod download && go mod verify

COPY . .

# The Makefile's generate runs templ at the version go.mod pins, folder by folder as the views'
# authors do, so the generated code matches both the runtime library and the committed files.
RUN make generate

ARG VERSION=dev
RUN go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /alorig .

# --- runtime ----------------------------------------------------------------------------------
FROM debian:12-slim

# libswe2.0: the shared library the binary links; swe-basic-data: ephemeris files in
# /usr/share/libswe/ephe (the binary's default ALORIG_EPHE_PATH); ca-certificates for the
# outside APIs; tzdata because planetary hours, trading sessions and attendance are computed
# in the users' own time zones.
RUN apt-get update \
	&& apt-get install -y --no-install-recommends ca-certificates tzdata libswe2.0 swe-basic-data \
	&& rm -rf /var/lib/apt/lists/* \
	&& test -d /usr/share/libswe/ephe

# A fixed numeric id, so volumes and orchestrators that insist on runAsNonRoot see the same
# owner on every host. /var/lib/alorig is the working directory: relative paths such as
# ALORIG_SNAPIFY_MEDIA_DIR (var/snapify-media) land in var/ below it, which compose mounts as a
# volume that inherits this ownership.
RUN groupadd --system --gid 10001 alorig \
	&& useradd --system --uid 10001 --gid alorig --home-dir /var/lib/alorig --no-create-home \
		--shell /usr/sbin/nologin alorig \
	&& mkdir -p /var/lib/alorig/var \
	&& chown -R alorig:alorig /var/lib/alorig

COPY --from=build /alorig /usr/local/bin/alorig

# Fails the image build when a shared library the binary needs is missing from this stage.
RUN ["/usr/local/bin/alorig", "version"]

ENV ALORIG_ENV=production
WORKDIR /var/lib/alorig
USER 10001:10001

# Web surfaces of the six modules, the two extra surfaces (8013 ws, 8017 cms) and the
# several-modules default. The admin listener (9090) is deliberately absent: it binds loopback.
EXPOSE 8012 8013 8014 8016 8017 8018 8020 8022 8080

# `alorig health` finds this container's listener from the same env serve reads (ALORIG_ADDR,
# else ALORIG_APPS and ALORIG_SURFACE; ALORIG_HEALTH_URL overrides), so it needs no curl.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
	CMD ["/usr/local/bin/alorig", "health"]

ENTRYPOINT ["/usr/local/bin/alorig"]
CMD ["serve"]
