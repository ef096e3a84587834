"""A minimal PutMedia client for tests: streams an MKV body with chunked transfer encoding and
collects the JSON acks the server writes back while the upload is still running.

The request is signed the way the KVS producer SDKs sign it (SigV4, service ``kinesisvideo``, the
payload hash of the empty string), using botocore's own signer.
"""
import json
import socket
import ssl
import threading
import time
from urllib.parse import urlparse

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest

CHUNK_BYTES = 64 * 1024


def put_media(endpoint, credentials, region, stream_name, mkv_path, start_timestamp=None,
              chunk_delay_s=0.0, ca_bundle=None):
    """Uploads ``mkv_path`` and returns (http_status, list of ack dicts or error body).

    An ``https`` endpoint is verified against ``ca_bundle`` (a PEM file; None: the system CAs).
    Over TLS the body is written first and the response read after it, on one thread: an
    OpenSSL connection must not be read and written from two threads at once. The acks of a
    short test upload fit in the socket buffers meanwhile.
    """
    url = urlparse(endpoint)
    tls = url.scheme == "https"
    host, port = url.hostname, url.port or (443 if tls else 80)
    headers = {
        "x-amzn-stream-name": stream_name,
        "x-amzn-fragment-timecode-type": "RELATIVE" if start_timestamp is not None else "ABSOLUTE",
        "x-amzn-fragment-acknowledgment-required": "1",
        "Host": f"{host}:{port}",
    }
    if start_timestamp is not None:
        headers["x-amzn-producer-start-timestamp"] = f"{start_timestamp:.3f}"
    request = AWSRequest(method="POST", url=f"{endpoint}/putMedia", headers=headers, data=b"")
    SigV4Auth(credentials, "kinesisvideo", region).add_auth(request)
    signed = dict(request.headers.items())

    sock = socket.create_connection((host, port), timeout=60)
    if tls:
        sock = ssl.create_default_context(cafile=ca_bundle).wrap_socket(sock, server_hostname=host)
    head = "POST /putMedia HTTP/1.1\r\n"
    for name, value in signed.items():
        head += f"{name}: {value}\r\n"
    head += "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    sock.sendall(head.encode())

    result = {}
    reader = threading.Thread(target=_read_response, args=(sock, result), daemon=True)
    if not tls:
        reader.start()
    try:
        with open(mkv_path, "rb") as f:
            while True:
                piece = f.read(CHUNK_BYTES)
                if not piece:
                    break
                sock.sendall(b"%x\r\n" % len(piece) + piece + b"\r\n")
                if chunk_delay_s:
                    time.sleep(chunk_delay_s)
        sock.sendall(b"0\r\n\r\n")
    except OSError:
        pass  # the server may close early after an error ack; the reader has the answer
    if tls:
        reader.start()
    reader.join(120)
    sock.close()
    return result.get("status"), result.get("body")


def _read_response(sock, result):
    stream = sock.makefile("rb")
    status_line = stream.readline().decode()
    status = int(status_line.split()[1])
    headers = {}
    while True:
        line = stream.readline().decode().strip()
        if not line:
            break
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    body = b""
    if headers.get("transfer-encoding", "").lower() == "chunked":
        while True:
            size_line = stream.readline()
            if not size_line:
                break
            size = int(size_line.strip() or b"0", 16)
            if size == 0:
                stream.readline()
                break
            body += stream.read(size)
            stream.readline()
    else:
        body = stream.read(int(headers.get("content-length", "0")))
    result["status"] = status
    if status == 200:
        result["body"] = [json.loads(line) for line in body.decode().splitlines() if line.strip()]
    else:
        result["body"] = json.loads(body.decode() or "{}")
