"""Writes N nginx combined-format access-log lines (~200 bytes each) to PATH, deterministically."""
import random
import sys

count, path = int(sys.argv[1]), sys.argv[2]
rng = random.Random(42)
paths = ["/", "/index.html", "/api/v1/users/%d", "/api/v1/orders/%d/items", "/static/js/app.%d.js", "/healthz", "/login?next=/account/%d"]
agents = ["Mozilla/5.0 (X11; Linux x86_64; rv:109.0) Gecko/20100101 Firefox/115.0",
          "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.5 Safari/605.1.15",
          "curl/7.88.1", "kube-probe/1.27", "python-requests/2.31.0"]
statuses = [200] * 12 + [201, 204, 301, 304, 404, 500, 502]
with open(path, "w") as out:
    for i in range(count):
        p = rng.choice(paths)
        if "%d" in p:
            p = p % rng.randrange(1, 100000)
        out.write('10.%d.%d.%d - - [25/Nov/2026:%02d:%02d:%02d +0000] "GET %s HTTP/1.1" %d %d "https://example.com/ref" "%s"\n' % (
            rng.randrange(256), rng.randrange(256), rng.randrange(1, 255), (i // 3600) % 24, (i // 60) % 60, i % 60,
            p, rng.choice(statuses), rng.randrange(100, 50000), rng.choice(agents)))
