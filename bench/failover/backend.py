#!/usr/bin/env python3
"""One backend web server of the failover benchmark (loopback only).

    backend.py ADDRESS PORT NAME

Answers every GET/HEAD with 200 "ok from NAME" on a new thread per connection (no keep-alive: a
health check must see what a new visitor sees). SIGUSR1 makes it answer 503 from then on, SIGUSR2
200 again: the benchmark's flapping backend is a server that stays up but fails for a second.
SIGSTOP/SIGCONT (a hanging server) and SIGKILL (refused) need nothing from it.
"""
import signal
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

address, port, name = sys.argv[1], int(sys.argv[2]), sys.argv[3]
status = [200]


def failing(_sig, _frame):
    status[0] = 503


def healthy(_sig, _frame):
    status[0] = 200


signal.signal(signal.SIGUSR1, failing)
signal.signal(signal.SIGUSR2, healthy)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def _answer(self, with_body):
        code = status[0]
        body = ("ok from %s\n" % name if code == 200 else "failing: %s\n" % name).encode()
        self.send_response(code)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        if with_body:
            self.wfile.write(body)

    def do_GET(self):
        self._answer(True)

    def do_HEAD(self):
        self._answer(False)

    def log_message(self, *_args):
        pass


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def handle_error(self, request, client_address):
        # health checkers may close before reading the answer; that is not worth a traceback
        pass


Server((address, port), Handler).serve_forever()
