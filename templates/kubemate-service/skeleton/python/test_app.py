import threading
import unittest
import urllib.request
from http.server import HTTPServer

from app import Handler


class HealthzTest(unittest.TestCase):
    def test_healthz(self):
        server = HTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            url = f"http://127.0.0.1:{server.server_port}/healthz"
            self.assertEqual(urllib.request.urlopen(url).read(), b"ok")
        finally:
            server.shutdown()


if __name__ == "__main__":
    unittest.main()
