#!/usr/bin/env bash
# Signs a sample Stripe event the way Stripe does (Stripe-Signature: t=<unix time>,v1=<HMAC-SHA256 of
# "<t>.<payload>" with the endpoint secret) and POSTs it to a Tollgate webhook endpoint.
#
#   events/stripe/send.sh <event.json> [NAME=value ...]
#
# NAME=value fills the __NAME__ placeholders of the file (TOPUP_ID, ACCOUNT_ID, SESSION_ID, PAYMENT_INTENT,
# CHARGE_ID, DISPUTE_ID, REFUND_ID, EVENT_ID); EVENT_ID defaults to a fresh evt_ id, the other Stripe ids to fixed
# sample ids. Environment: TOLLGATE_WEBHOOK_URL (default http://localhost:8080/webhooks/stripe) and
# TOLLGATE_STRIPE_WEBHOOK_SECRET (default: the test secret in README.md, which the server must use too).
set -euo pipefail

if [[ $# -lt 1 || ! -f $1 ]]; then
  sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi
file=$1
shift
url=${TOLLGATE_WEBHOOK_URL:-http://localhost:8080/webhooks/stripe}
secret=${TOLLGATE_STRIPE_WEBHOOK_SECRET:-whsec_tollgate_sample_events_test_only}

# Plain variables rather than an associative array: macOS still ships bash 3.2.
NAMES="TOPUP_ID ACCOUNT_ID SESSION_ID PAYMENT_INTENT CHARGE_ID DISPUTE_ID REFUND_ID EVENT_ID"
TOPUP_ID= ACCOUNT_ID=
EVENT_ID="evt_test_$(openssl rand -hex 12)"
SESSION_ID=cs_test_a1TollgateSampleSession
PAYMENT_INTENT=pi_3QxTollgateSamplePayment
CHARGE_ID=ch_3QxTollgateSampleCharge
DISPUTE_ID=du_1QxTollgateSampleDispute
REFUND_ID=re_3QxTollgateSampleRefund
for pair in "$@"; do
  name=${pair%%=*}
  case " $NAMES " in
    *" $name "*) printf -v "$name" '%s' "${pair#*=}" ;;
    *) echo "unknown placeholder $name (known: $NAMES)" >&2; exit 2 ;;
  esac
done

body=$(<"$file")
for name in $NAMES; do
  value=${!name:-}
  if [[ -n $value ]]; then
    body=${body//__${name}__/$value}
  fi
done
if [[ $body =~ __[A-Z_]+__ ]]; then
  echo "unfilled placeholder ${BASH_REMATCH[0]} in $file: pass ${BASH_REMATCH[0]//__/}=..." >&2
  exit 2
fi

timestamp=$(date +%s)
signature=$(printf '%s.%s' "$timestamp" "$body" | openssl dgst -sha256 -hmac "$secret" | sed 's/^.*= //')
curl -sS -w '\nHTTP %{http_code}\n' -X POST "$url" \
  -H 'Content-Type: application/json; charset=utf-8' \
  -H "Stripe-Signature: t=$timestamp,v1=$signature" \
  --data-binary "$body"
