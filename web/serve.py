"""Serve the built playground on 127.0.0.1: ``python web/serve.py [--port N] [DIR]``.

WebAssembly cannot be loaded from ``file://``, so the pages need a web server; this is
``http.server`` with the two types browsers insist on (``application/wasm`` for
``.wasm``, JavaScript for ``.mjs`` modules) and bound to 127.0.0.1 only. Port 0 (the
default) picks a free port; the address is printed. ``make serve`` runs it.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import sys
from pathlib import Path

TYPES = {
    ".wasm": "application/wasm",
    ".mjs": "text/javascript",
    ".js": "text/javascript",
    ".json": "application/json",
    ".whl": "application/zip",
    ".zip": "application/zip",
    ".md": "text/plain; charset=utf-8",  # the README, shown as text rather than downloaded
}


class Handler(http.server.SimpleHTTPRequestHandler):
    """Static files with the right types, quiet unless asked to log."""

    log_requests = False

    def guess_type(self, path: str | os.PathLike[str]) -> str:
        return TYPES.get(Path(path).suffix) or super().guess_type(path)

    def log_message(self, format: str, *args: object) -> None:
        if self.log_requests:
            super().log_message(format, *args)


def server(directory: Path, port: int = 0, *, log: bool = False) -> http.server.ThreadingHTTPServer:
    """A server for ``directory`` on 127.0.0.1:``port`` (0: a free one), not yet serving."""
    handler = type("SiteHandler", (Handler,), {"log_requests": log})
    bound = functools.partial(handler, directory=str(directory))
    return http.server.ThreadingHTTPServer(("127.0.0.1", port), bound)


def main(argv: list[str] | None = None) -> int:
    """Serve until Ctrl-C."""
    parser = argparse.ArgumentParser(description="Serve the built playground on 127.0.0.1.")
    parser.add_argument(
        "directory", nargs="?", type=Path, default=Path(__file__).resolve().parent.parent / "site"
    )
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    args = parser.parse_args(argv)
    if not (args.directory / "index.html").exists():
        parser.error(f"{args.directory} has no index.html: build it first with make site")
    httpd = server(args.directory, args.port, log=True)
    host, port = "127.0.0.1", httpd.server_port
    print(f"serving {args.directory} at http://{host}:{port}/ (Ctrl-C stops)", flush=True)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        httpd.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
