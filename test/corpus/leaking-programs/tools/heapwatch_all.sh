#!/bin/bash
# For each Node program: leaking and fixed side by side for 95 s under tools/heapwatch.js.
cd "$(dirname "$0")/.."
run() { # id label file
  timeout 95 node --expose-gc -r ./tools/heapwatch.js "$3" 2>/dev/null | grep '^heapwatch' > "rss/$1.$2.heapwatch.txt"
}
while read -r id leak fixed; do
  run "$id" leak "$leak" &
  a=$!
  if [ ! -f "rss/$id.fixed.heapwatch.txt" ]; then run "$id" fixed "$fixed" & b=$!; else b=; fi
  wait $a $b
done <<'LIST'
js_rpc_client js_rpc_client.js js_rpc_client.fixed.js
js_audit_shipper js_audit_shipper.js js_audit_shipper.fixed.js
js_chat_gateway js_chat_gateway.js js_chat_gateway.fixed.js
js_export_scheduler js_export_scheduler.js js_export_scheduler.fixed.js
js_shipping_quotes js_shipping_quotes.js js_shipping_quotes.fixed.js
js_trace_service js_trace_service/main.js js_trace_service/fixed/main.js
js_flag_client js_flag_client.js js_flag_client.fixed.js
LIST
