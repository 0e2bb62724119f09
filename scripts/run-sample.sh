#!/usr/bin/env bash
# Runs the Orders sample. With no bootstrap servers it starts an embedded Kafka cluster (librdkafka's
# mock, on loopback), produces demo orders, consumes them through the pipeline, prints a summary and exits.
# Pass --bootstrap-servers host:port to run against a real cluster until Ctrl+C.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet run --project samples/Orders/KafkaPipeline.Samples.Orders.csproj -c Release -- "$@"
