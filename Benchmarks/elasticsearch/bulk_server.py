"""A minimal, fast `_bulk` endpoint for the Elasticsearch benchmark: it answers every action with
status 201 without parsing documents, so the client, not the server, is what is measured. It can
record the bodies it receives (to replay them with curl) and reports how many items it took.

    python3 bulk_server.py PORT_FILE [CERT KEY]   # binds 127.0.0.1:0, writes the port to PORT_FILE;
                                                  # with a certificate and key, speaks HTTPS
    GET  /_count                  -> {"count": items received}
    POST /_test/record?dir=PATH   -> record later bodies as PATH/NNNNNN.ndjson (dir= empty stops)
    POST /_test/reset             -> count back to 0
"""
import gzip
import http.server
import json
import os
import sys
import threading
import urllib.parse

ITEM = b'{"create":{"_index":"bench","_id":"x","_version":1,"result":"created","status":201}}'


class State:
    lock = threading.Lock()
    items = 0
    requests = 0
    record_dir = None
    sequence = 0


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path.startswith("/_count"):
            self.reply(200, json.dumps({"count": State.items, "requests": State.requests}).encode())
        else:
            self.reply(404, b'{"error":"not found"}')

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        url = urllib.parse.urlparse(self.path)
        if url.path == "/_test/record":
            folder = urllib.parse.parse_qs(url.query).get("dir", [""])[0]
            State.record_dir = folder or None
            self.reply(200, b"{}")
            return
        if url.path == "/_test/reset":
            with State.lock:
                State.items = 0
                State.requests = 0
            self.reply(200, b"{}")
            return
        if not url.path.endswith("/_bulk"):
            self.reply(404, b'{"error":"not found"}')
            return
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        count = body.count(b"\n") // 2
        with State.lock:
            State.items += count
            State.requests += 1
            State.sequence += 1
            sequence = State.sequence
            folder = State.record_dir
        if folder:
            with open(os.path.join(folder, "%06d.ndjson" % sequence), "wb") as f:
                f.write(body)
        self.reply(200, b'{"took":1,"errors":false,"items":[' + b",".join([ITEM] * count) + b"]}")


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A client that went away mid-response; one line, not a traceback.
        print("bulk_server: %s: %s" % (client_address, sys.exc_info()[1]), file=sys.stderr)


def main():
    server = Server(("127.0.0.1", 0), Handler)
    if len(sys.argv) > 3:
        import ssl
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(sys.argv[2], sys.argv[3])
        server.socket = context.wrap_socket(server.socket, server_side=True)
    with open(sys.argv[1], "w") as f:
        f.write(str(server.server_address[1]))
    server.serve_forever()


if __name__ == "__main__":
    main()
