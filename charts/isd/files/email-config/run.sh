#!/bin/bash
# Custom stage: sends an e-mail through ssmtp with the account of the
# ssmtp-secrets Secret.
set -e
from=$(cat /secrets/ssmtpemail)
cat > /etc/ssmtp/ssmtp.conf <<CONF
root=$from
mailhub=${smtpserver:-smtp.gmail.com:587}
AuthUser=$from
AuthPass=$(cat /secrets/emailpassword)
UseSTARTTLS=YES
CONF
printf 'To: %s\nSubject: %s\n\n%s\n' "$to" "$subject" "$body" | ssmtp "$to"
echo "mail sent to $to"
