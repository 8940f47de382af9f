#!/bin/bash
# alive when the local server answers PING (a loading dataset counts)
reply=$(timeout -s 3 "$1" redis-cli -a "$REDIS_PASSWORD" --no-auth-warning -h localhost -p "$REDIS_PORT" ping)
case "$reply" in PONG|LOADING*) ;; *) echo "$reply"; exit 1 ;; esac
