"""Static file server for the end-to-end tests: serves the repository root (so the app runs from
a sub-path, /dist/, as on any static host) and allows cross-origin reads, as static hosts such
as GitHub Pages do, so the app also loads inside a sandboxed iframe (whose origin is opaque)."""
import http.server
import sys


class Handler(http.server.SimpleHTTPRequestHandler):
    def end_headers(self):
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    port = int(sys.argv[1])
    root = sys.argv[2]
    handler = lambda *a, **k: Handler(*a, directory=root, **k)
    http.server.ThreadingHTTPServer(("127.0.0.1", port), handler).serve_forever()
