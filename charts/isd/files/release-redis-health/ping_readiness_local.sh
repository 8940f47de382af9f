#!/bin/bash
# ready when the local server answers PING with PONG
reply=$(timeout -s 3 "$1" redis-cli -a "$REDIS_PASSWORD" --no-auth-warning -h localhost -p "$REDIS_PORT" ping)
[ "$reply" = "PONG" ] || { echo "$reply"; exit 1; }
