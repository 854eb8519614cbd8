#!/usr/bin/env python3
"""A minimal OpenAI-compatible streaming upstream for measure-chat-memory.sh: every POST to
/v1/chat/completions gets CHUNKS SSE chunks, DELAY_MS apart, then a usage chunk and [DONE]."""
import json, sys, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT, CHUNKS, DELAY = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]) / 1000.0

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        def send(data):
            frame = ("data: " + data + "\n\n").encode()
            self.wfile.write(b"%x\r\n%s\r\n" % (len(frame), frame))
            self.wfile.flush()
        for i in range(CHUNKS):
            send(json.dumps({"id": "c1", "object": "chat.completion.chunk", "model": "m",
                             "choices": [{"index": 0, "delta": {"content": "token%d " % i}}]}))
            time.sleep(DELAY)
        send(json.dumps({"id": "c1", "object": "chat.completion.chunk", "model": "m", "choices": [],
                         "usage": {"prompt_tokens": 10, "completion_tokens": CHUNKS, "total_tokens": 10 + CHUNKS}}))
        send("[DONE]")
        self.wfile.write(b"0\r\n\r\n")

ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
