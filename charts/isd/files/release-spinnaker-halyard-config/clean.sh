hal="hal --daemon-endpoint http://{{ Release.Name }}-spinnaker-halyard:8064"
if $hal --ready; then $hal deploy clean -q; fi
