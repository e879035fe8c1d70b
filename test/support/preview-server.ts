// A web server for inside a sandbox, in Python's standard library, for the preview tests: a page
// (which opens a WebSocket back to it), POST echo, the headers it got, a Set-Cookie, a WebSocket echo.

/** The server's source; run it as `python3 <file> <port>`. */
export const PREVIEW_SERVER = String.raw`
import base64, hashlib, json, sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PAGE = """<!doctype html><title>Demo app</title>
<style>body{font-family:system-ui,sans-serif;margin:3rem;color:#1f2933}h1{color:#4f46e5}</style>
<h1>Hello from the sandbox</h1><p>{path}</p><p id="socket">The socket is connecting.</p>
<script>
const socket = new WebSocket(location.origin.replace(/^http/, "ws") + "/live");
socket.onopen = () => socket.send("hello over the socket");
socket.onmessage = (event) => { document.getElementById("socket").textContent = event.data; };
</script>"""

class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, status, body, kind):
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.headers.get("Upgrade", "").lower() == "websocket":
            return self.socket()
        if self.path.startswith("/set-cookie"):
            self.send_response(200)
            for cookie in ("tandem_preview=from-the-app", "tandem_session=from-the-app", "app=1"):
                self.send_header("Set-Cookie", cookie + "; Path=/")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if self.path.startswith("/headers"):
            seen = {k.lower(): v for k, v in self.headers.items()}
            return self.reply(200, json.dumps(seen).encode(), "application/json")
        page = PAGE.replace("{path}", self.path.replace("&", "&amp;").replace("<", "&lt;"))
        self.reply(200, page.encode(), "text/html; charset=utf-8")

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.reply(200, b"got " + str(len(body)).encode() + b" bytes: " + body[:40], "text/plain")

    def socket(self):
        key = self.headers["Sec-WebSocket-Key"] + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
        accept = base64.b64encode(hashlib.sha1(key.encode()).digest()).decode()
        self.wfile.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
            "Connection: Upgrade\r\nSec-WebSocket-Accept: %s\r\n\r\n" % accept).encode())
        while True:
            head = self.rfile.read(2)
            if len(head) < 2:
                return
            opcode, length = head[0] & 15, head[1] & 127
            if length == 126:
                length = int.from_bytes(self.rfile.read(2), "big")
            mask = self.rfile.read(4) if head[1] & 128 else b"\0\0\0\0"
            data = bytes(b ^ mask[i % 4] for i, b in enumerate(self.rfile.read(length)))
            if opcode == 8:
                self.wfile.write(b"\x88\x00")
                return
            reply = b"echo: " + data
            self.wfile.write(bytes([0x81, len(reply)]) + reply)

ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
`;
