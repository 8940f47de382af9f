#!/bin/bash
# the master is alive when it answers PING (a loading dataset counts)
reply=$(timeout -s 3 "$1" redis-cli -a "$REDIS_MASTER_PASSWORD" --no-auth-warning -h "$REDIS_MASTER_HOST" -p "$REDIS_MASTER_PORT_NUMBER" ping)
case "$reply" in PONG|LOADING*) ;; *) echo "$reply"; exit 1 ;; esac
