import json
import os
from http.server import BaseHTTPRequestHandler, HTTPServer


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/healthz":
            body, kind = b"ok", "text/plain"
        else:
            body, kind = json.dumps({"service": "${{ values.name }}"}).encode(), "application/json"
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.end_headers()
        self.wfile.write(body)


if __name__ == "__main__":
    port = int(os.environ.get("PORT", "8080"))
    print(f"${{ values.name }} listening on :{port}")
    HTTPServer(("", port), Handler).serve_forever()
