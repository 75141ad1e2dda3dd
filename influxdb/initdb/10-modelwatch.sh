#!/bin/bash
# First-start initialisation of the InfluxDB 2.7 container (run by the image's entrypoint after
# `influx setup`, against a temporary server, with the admin CLI config already in place; it
# exports DOCKER_INFLUXDB_INIT_ORG and DOCKER_INFLUXDB_INIT_BUCKET_ID). It never runs again once
# the data volume exists: to re-run it, `docker-compose down -v` (deletes the data).
#
# Creates:
#   - a DBRP mapping database $INFLUX_DATABASE / rp autogen -> the bucket, so InfluxQL
#     (Grafana and modelwatch's v1 API) can address the bucket;
#   - a read-only v1 authorization for Grafana ($INFLUX_GRAFANA_USER);
#   - a write-only v1 authorization for modelwatch ($INFLUX_WRITER_USER).
set -euo pipefail

org="${DOCKER_INFLUXDB_INIT_ORG}"
bucket_id="${DOCKER_INFLUXDB_INIT_BUCKET_ID}"
database="${INFLUX_DATABASE:-modelwatch}"

influx v1 dbrp create \
  --org "${org}" \
  --db "${database}" \
  --rp autogen \
  --bucket-id "${bucket_id}" \
  --default

influx v1 auth create \
  --org "${org}" \
  --username "${INFLUX_GRAFANA_USER:-grafana}" \
  --password "${INFLUX_GRAFANA_PASSWORD:?INFLUX_GRAFANA_PASSWORD is not set}" \
  --read-bucket "${bucket_id}" \
  --description "Grafana (read-only, InfluxQL)"

influx v1 auth create \
  --org "${org}" \
  --username "${INFLUX_WRITER_USER:-modelwatch}" \
  --password "${INFLUX_WRITER_PASSWORD:?INFLUX_WRITER_PASSWORD is not set}" \
  --write-bucket "${bucket_id}" \
  --description "modelwatch writer (write-only)"

echo "modelwatch: DBRP ${database}/autogen -> bucket ${bucket_id}, v1 users ${INFLUX_GRAFANA_USER:-grafana} (read) and ${INFLUX_WRITER_USER:-modelwatch} (write) created"
