#!/usr/bin/env bash
# Lighthouse (npm lighthouse@12.8.2, Debian's Chromium) on the built sample served by
# deploy/nginx.conf, mobile form factor, every category. Run by hand:
#   bash benchmarks/lighthouse.sh [RUNS [PAGE…]]   (results: benchmarks/lighthouse/*.json, a table;
#   PAGE as a path under the site, e.g. policies/anzhi-bangjiao-fanwei/; "" for the home page)
# SITE=DIR serves a site built already (DIR/public, DIR/internal) instead of building the sample,
# to compare variants side by side; LABEL names the result files (default: none).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
work=$(mktemp -d)
trap 'kill "$(cat "$work/nginx.pid" 2>/dev/null)" 2>/dev/null || true; rm -rf "$work"' EXIT
[ -x benchmarks/.npm/node_modules/.bin/lighthouse ] ||
  npm install --prefix benchmarks/.npm --no-audit --no-fund --silent lighthouse@12.8.2
if [ -n "${SITE:-}" ]; then
  cp -r "$SITE" "$work/site"
else
  .venv/bin/jiandi build --content content --out "$work/site" --build-dir "$work/build" >/dev/null
fi
label=${LABEL:+$LABEL-}
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
printf 'staff:{PLAIN}x\n' > "$work/htpasswd"
sed -e "s|/srv/jiandi/site|$work/site|g" -e "s|/etc/nginx/jiandi-internal.htpasswd|$work/htpasswd|" \
    -e "s|listen 80;|listen 127.0.0.1:$port;|" deploy/nginx.conf > "$work/jiandi.conf"
cat > "$work/nginx.conf" <<CONF
user root; daemon on; worker_processes 1; pid $work/nginx.pid; error_log $work/error.log;
events { worker_connections 64; }
http { include /etc/nginx/mime.types; access_log off; client_body_temp_path $work/b;
       proxy_temp_path $work/p; fastcgi_temp_path $work/f; uwsgi_temp_path $work/u;
       scgi_temp_path $work/s; include $work/jiandi.conf; }
CONF
/usr/sbin/nginx -c "$work/nginx.conf" -p "$work"
mkdir -p benchmarks/lighthouse
pages=("" "bureaus/lianyuan/" "events/2023-12-27-qianyue/" "policies/anzhi-bangjiao-fanwei/"
       "guides/yuancheng-shipin-huijian/" "news/")
[ $# -gt 1 ] && pages=("${@:2}")
for page in "${pages[@]}"; do
  name=${page//\//_}; name=${name:-home}
  for run in $(seq "$runs"); do
    CHROME_PATH=/usr/bin/chromium benchmarks/.npm/node_modules/.bin/lighthouse \
      "http://127.0.0.1:$port/$page" --quiet --output=json \
      --output-path="benchmarks/lighthouse/$label${name%_}-$run.json" \
      --chrome-flags="--headless=new --no-sandbox --disable-gpu" >/dev/null 2>&1 || true
  done
done
python3 - "$runs" "$label" "${pages[@]}" <<'PY'
import json, statistics, sys
runs, label, pages = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
cats = ["performance", "accessibility", "best-practices", "seo"]
metrics = {"TBT ms": "total-blocking-time", "LCP ms": "largest-contentful-paint"}
print("| page | " + " | ".join(cats + list(metrics)) + " |")
print("|---|" + "---:|" * (len(cats) + len(metrics)))
for page in pages:
    name = (page.replace("/", "_") or "home").rstrip("_")
    scores = {c: [] for c in cats + list(metrics.values())}
    for run in range(1, runs + 1):
        try:
            data = json.load(open(f"benchmarks/lighthouse/{label}{name}-{run}.json"))
        except (OSError, ValueError):
            continue
        for c in cats:
            if data["categories"][c]["score"] is not None:
                scores[c].append(round(data["categories"][c]["score"] * 100))
        for audit in metrics.values():
            scores[audit].append(round(data["audits"][audit]["numericValue"]))
    cells = [f"{statistics.median(v):.0f} ({', '.join(map(str, v))})" if v else "—"
             for v in list(scores.values())[: len(cats)]]
    cells += [f"{statistics.median(v):.0f}" if v else "—" for v in list(scores.values())[len(cats) :]]
    print(f"| /{page} | " + " | ".join(cells) + " |")
PY
