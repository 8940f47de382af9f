#!/bin/bash
# ready when the master answers PING with PONG
reply=$(timeout -s 3 "$1" redis-cli -a "$REDIS_MASTER_PASSWORD" --no-auth-warning -h "$REDIS_MASTER_HOST" -p "$REDIS_MASTER_PORT_NUMBER" ping)
[ "$reply" = "PONG" ] || { echo "$reply"; exit 1; }
