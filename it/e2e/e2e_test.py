"""End-to-end check of a running Framekeep server through boto3 and the AWS CLI.

Usage: FRAMEKEEP_ENDPOINT=http://127.0.0.1:8567 AWS_ACCESS_KEY_ID=... AWS_SECRET_ACCESS_KEY=...
       python3 e2e_test.py
Over HTTPS: FRAMEKEEP_ENDPOINT=https://... FRAMEKEEP_CA_BUNDLE=CERT.pem (boto3 ``verify=`` and the
CLI's ``--ca-bundle``); FRAMEKEEP_E2E_SUBSET=https runs only the checks marked ``https=True``.
Makes its own test media with ffmpeg. Prints one line per check and ends with
"N passed, N failed"; exits non-zero if anything failed.
"""
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
import traceback
import uuid

import boto3
import botocore
from botocore.config import Config

from putmedia import put_media

ENDPOINT = os.environ["FRAMEKEEP_ENDPOINT"]
CA_BUNDLE = os.environ.get("FRAMEKEEP_CA_BUNDLE")
SUBSET = os.environ.get("FRAMEKEEP_E2E_SUBSET")
REGION = os.environ.get("AWS_DEFAULT_REGION", "us-east-1")
PRODUCER_START = 1_700_000_000.0  # RELATIVE uploads: fragment producer time = this + cluster time
GOP_SECONDS = 1
SOURCE_SECONDS = 8
FPS = 30

WORK = tempfile.mkdtemp(prefix="framekeep-e2e-")
RUN = uuid.uuid4().hex[:8]
results = []


def check(name, https=False):
    """Runs ``fn`` now as one check; with FRAMEKEEP_E2E_SUBSET=https only if ``https``."""
    def wrap(fn):
        if SUBSET == "https" and not https:
            return fn
        try:
            fn()
            results.append((name, None))
            print(f"PASS {name}", flush=True)
        except Exception as e:  # report and go on: every check is independent
            results.append((name, e))
            print(f"FAIL {name}: {e!r}", flush=True)
            traceback.print_exc()
        return fn
    return wrap


def run(*cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, **kw)


def make_source(path, video_codec_args, audio_args, seconds=SOURCE_SECONDS):
    inputs = []
    if video_codec_args:
        inputs += ["-f", "lavfi", "-i", f"testsrc2=size=320x240:rate={FPS}"]
    if audio_args:
        inputs += ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000"]
    run("ffmpeg", "-v", "error", "-y", *inputs, "-t", str(seconds),
        *video_codec_args, *audio_args, "-f", "matroska", "-live", "1",
        "-cluster_size_limit", "50000000", "-cluster_time_limit", "10000", path)


def framemd5(path, stream="v:0"):
    out = run("ffmpeg", "-v", "error", "-i", path, "-map", f"0:{stream}", "-f", "framemd5", "-")
    return [line.split(",")[-1].strip() for line in out.stdout.decode().splitlines()
            if line and not line.startswith("#")]


def ffprobe_codecs(path):
    out = run("ffprobe", "-v", "error", "-show_streams", "-of", "json", path)
    return sorted(s["codec_name"] for s in json.loads(out.stdout)["streams"])


def top_level_boxes(path):
    boxes = []
    with open(path, "rb") as f:
        while True:
            head = f.read(8)
            if len(head) < 8:
                return boxes
            size = int.from_bytes(head[:4], "big")
            kind = head[4:].decode("latin-1")
            if size == 1:
                size = int.from_bytes(f.read(8), "big")
                f.seek(size - 16, 1)
            else:
                f.seek(size - 8, 1)
            boxes.append(kind)


def session():
    return boto3.session.Session(region_name=REGION)


def tls_args():
    """Keyword arguments for boto3 clients: trust FRAMEKEEP_CA_BUNDLE when given."""
    return {"verify": CA_BUNDLE} if CA_BUNDLE else {}


def cli_tls():
    """AWS CLI arguments: trust FRAMEKEEP_CA_BUNDLE when given."""
    return ["--ca-bundle", CA_BUNDLE] if CA_BUNDLE else []


def control():
    return session().client("kinesisvideo", endpoint_url=ENDPOINT, **tls_args())


def archive(endpoint):
    return session().client("kinesis-video-archived-media", endpoint_url=endpoint, **tls_args())


def expect_error(code, fn):
    try:
        fn()
    except botocore.exceptions.ClientError as e:
        got = e.response["Error"]["Code"]
        assert got == code, f"expected {code}, got {got}: {e}"
        return e
    raise AssertionError(f"expected {code}, the call succeeded")


source = os.path.join(WORK, "source.mkv")
make_source(source, ["-c:v", "libx264", "-preset", "veryfast", "-g", str(FPS * GOP_SECONDS),
                     "-keyint_min", str(FPS * GOP_SECONDS), "-sc_threshold", "0", "-bf", "2"],
            ["-c:a", "aac", "-b:a", "64k"])
stream = f"e2e-{RUN}"
state = {}


@check("create, describe and list the stream with boto3", https=True)
def _():
    kv = control()
    arn = kv.create_stream(StreamName=stream, DataRetentionInHours=24,
                           MediaType="video/h264,audio/aac")["StreamARN"]
    assert arn.startswith("arn:aws:kinesisvideo:") and f"stream/{stream}/" in arn, arn
    info = kv.describe_stream(StreamName=stream)["StreamInfo"]
    assert info["Status"] == "ACTIVE" and info["DataRetentionInHours"] == 24, info
    names = [s["StreamName"] for s in kv.list_streams(
        StreamNameCondition={"ComparisonOperator": "BEGINS_WITH", "ComparisonValue": "e2e-"}
    )["StreamInfoList"]]
    assert stream in names, names
    state["arn"] = arn


@check("PutMedia acks one BUFFERING, RECEIVED and PERSISTED per cluster", https=True)
def _():
    endpoint = control().get_data_endpoint(StreamName=stream, APIName="PUT_MEDIA")["DataEndpoint"]
    creds = session().get_credentials()
    status, acks = put_media(endpoint, creds, REGION, stream, source,
                             start_timestamp=PRODUCER_START, ca_bundle=CA_BUNDLE)
    assert status == 200, (status, acks)
    kinds = [a["EventType"] for a in acks if a["EventType"] != "IDLE"]
    clusters = SOURCE_SECONDS // GOP_SECONDS
    for kind in ("BUFFERING", "RECEIVED", "PERSISTED"):
        assert kinds.count(kind) == clusters, (kind, kinds)
    assert "ERROR" not in kinds, acks
    numbers = [a["FragmentNumber"] for a in acks if a["EventType"] == "PERSISTED"]
    assert numbers == sorted(numbers, key=int) and len(set(numbers)) == len(numbers), numbers
    state["numbers"] = numbers


@check("ListFragments paginates over every persisted fragment", https=True)
def _():
    endpoint = control().get_data_endpoint(StreamName=stream, APIName="LIST_FRAGMENTS")["DataEndpoint"]
    pages = archive(endpoint).get_paginator("list_fragments").paginate(
        StreamName=stream, PaginationConfig={"PageSize": 3},
        FragmentSelector={"FragmentSelectorType": "PRODUCER_TIMESTAMP", "TimestampRange": {
            "StartTimestamp": PRODUCER_START, "EndTimestamp": PRODUCER_START + 3600}})
    fragments = [f for page in pages for f in page["Fragments"]]
    assert sorted(f["FragmentNumber"] for f in fragments) == sorted(state["numbers"]), fragments
    for f in fragments:
        assert f["FragmentSizeInBytes"] > 0 and 900 <= f["FragmentLengthInMilliseconds"] <= 1100, f


@check("GetClip with boto3 is an H.264+AAC MP4, moov first, frame-exact", https=True)
def _():
    endpoint = control().get_data_endpoint(StreamName=stream, APIName="GET_CLIP")["DataEndpoint"]
    response = archive(endpoint).get_clip(StreamName=stream, ClipFragmentSelector={
        "FragmentSelectorType": "PRODUCER_TIMESTAMP", "TimestampRange": {
            "StartTimestamp": PRODUCER_START, "EndTimestamp": PRODUCER_START + 3600}})
    assert response["ContentType"] == "video/mp4", response["ContentType"]
    clip = os.path.join(WORK, "clip-boto3.mp4")
    with open(clip, "wb") as f:
        f.write(response["Payload"].read())
    assert ffprobe_codecs(clip) == ["aac", "h264"], ffprobe_codecs(clip)
    boxes = top_level_boxes(clip)
    assert boxes.index("moov") < boxes.index("mdat"), boxes
    errors = subprocess.run(["ffmpeg", "-v", "error", "-i", clip, "-f", "null", "-"],
                            capture_output=True).stderr.decode()
    assert errors == "", errors
    source_hashes, clip_hashes = framemd5(source), framemd5(clip)
    assert len(clip_hashes) == len(source_hashes) == SOURCE_SECONDS * FPS, (
        len(clip_hashes), len(source_hashes))
    assert clip_hashes == source_hashes, "decoded video frames differ from the source"
    state["clip"] = clip


@check("GetClip of a middle range by producer time starts on that fragment's first frame", https=True)
def _():
    endpoint = control().get_data_endpoint(StreamName=stream, APIName="GET_CLIP")["DataEndpoint"]
    start = PRODUCER_START + 2.5  # fragments start at +3 s ... +5 s (end inclusive)
    payload = archive(endpoint).get_clip(StreamName=stream, ClipFragmentSelector={
        "FragmentSelectorType": "PRODUCER_TIMESTAMP", "TimestampRange": {
            "StartTimestamp": start, "EndTimestamp": PRODUCER_START + 5}})["Payload"].read()
    clip = os.path.join(WORK, "clip-middle.mp4")
    with open(clip, "wb") as f:
        f.write(payload)
    hashes = framemd5(clip)
    assert hashes == framemd5(source)[3 * FPS:6 * FPS], (len(hashes))


@check("GetClip with the AWS CLI gives the same bytes as boto3", https=True)
def _():
    out = os.path.join(WORK, "clip-cli.mp4")
    endpoint = json.loads(run("aws", *cli_tls(), "kinesisvideo", "get-data-endpoint", "--endpoint-url",
                              ENDPOINT, "--stream-name", stream, "--api-name", "GET_CLIP"
                              ).stdout)["DataEndpoint"]
    selector = json.dumps({"FragmentSelectorType": "PRODUCER_TIMESTAMP", "TimestampRange": {
        "StartTimestamp": PRODUCER_START, "EndTimestamp": PRODUCER_START + 3600}})
    printed = json.loads(run("aws", *cli_tls(), "kinesis-video-archived-media", "get-clip", "--endpoint-url",
                             endpoint, "--stream-name", stream, "--clip-fragment-selector",
                             selector, out).stdout)
    assert printed["ContentType"] == "video/mp4", printed
    digest = lambda p: hashlib.sha256(open(p, "rb").read()).hexdigest()
    assert digest(out) == digest(state["clip"])


@check("AWS errors reach boto3 and the CLI as their exception classes", https=True)
def _():
    kv = control()
    media = archive(ENDPOINT)
    selector = {"FragmentSelectorType": "SERVER_TIMESTAMP", "TimestampRange": {
        "StartTimestamp": time.time() - 60, "EndTimestamp": time.time() - 1}}
    try:
        media.get_clip(StreamName=f"missing-{RUN}", ClipFragmentSelector=selector)
        raise AssertionError("no error")
    except media.exceptions.ResourceNotFoundException:
        pass
    expect_error("InvalidArgumentException", lambda: media.get_clip(
        StreamName=stream, ClipFragmentSelector={"FragmentSelectorType": "SERVER_TIMESTAMP",
        "TimestampRange": {"StartTimestamp": 1_700_000_000, "EndTimestamp": 1_700_000_000}}))
    expect_error("InvalidArgumentException", lambda: media.get_clip(
        StreamName=stream, ClipFragmentSelector={"FragmentSelectorType": "PRODUCER_TIMESTAMP",
        "TimestampRange": {"StartTimestamp": 1_700_000_000, "EndTimestamp": 1_700_200_000}}))
    kv.create_stream(StreamName=f"noretention-{RUN}")
    try:
        media.get_clip(StreamName=f"noretention-{RUN}", ClipFragmentSelector=selector)
        raise AssertionError("no error")
    except media.exceptions.NoDataRetentionException:
        pass
    expect_error("ResourceInUseException", lambda: kv.create_stream(StreamName=stream))
    cli = subprocess.run(["aws", *cli_tls(), "kinesisvideo", "describe-stream", "--endpoint-url", ENDPOINT,
                          "--stream-name", f"missing-{RUN}"], capture_output=True)
    assert cli.returncode != 0 and b"ResourceNotFoundException" in cli.stderr, cli.stderr


@check("a wrong secret key is refused with InvalidSignatureException", https=True)
def _():
    bad = boto3.session.Session(aws_access_key_id=session().get_credentials().access_key,
                                aws_secret_access_key="wrong" * 8, region_name=REGION)
    expect_error("InvalidSignatureException", lambda: bad.client(
        "kinesisvideo", endpoint_url=ENDPOINT, **tls_args()).describe_stream(StreamName=stream))


@check("tags, retention and storage tier updates through boto3")
def _():
    kv = control()
    kv.tag_stream(StreamName=stream, Tags={"site": "dock-4", "camera": "north"})
    kv.untag_stream(StreamName=stream, TagKeyList=["camera"])
    assert kv.list_tags_for_stream(StreamName=stream)["Tags"] == {"site": "dock-4"}
    version = kv.describe_stream(StreamName=stream)["StreamInfo"]["Version"]
    kv.update_data_retention(StreamName=stream, CurrentVersion=version,
                             Operation="INCREASE_DATA_RETENTION", DataRetentionChangeInHours=24)
    assert kv.describe_stream(StreamName=stream)["StreamInfo"]["DataRetentionInHours"] == 48
    expect_error("VersionMismatchException", lambda: kv.update_data_retention(
        StreamName=stream, CurrentVersion=version, Operation="DECREASE_DATA_RETENTION",
        DataRetentionChangeInHours=1))
    tier = kv.describe_stream_storage_configuration(StreamName=stream)
    assert tier["StreamStorageConfiguration"] == {"DefaultStorageTier": "HOT"}, tier
    version = kv.describe_stream(StreamName=stream)["StreamInfo"]["Version"]
    kv.update_stream_storage_configuration(StreamName=stream, CurrentVersion=version,
                                           StreamStorageConfiguration={"DefaultStorageTier": "WARM"})
    tier = kv.describe_stream_storage_configuration(StreamName=stream)
    assert tier["StreamStorageConfiguration"] == {"DefaultStorageTier": "WARM"}, tier


# ---- GetClip codec matrix: one short upload per combination, each to its own stream ----

MATRIX_SECONDS = 4
H264 = ["-c:v", "libx264", "-preset", "veryfast", "-g", str(FPS), "-keyint_min", str(FPS),
        "-sc_threshold", "0", "-bf", "2"]
H265 = ["-c:v", "libx265", "-preset", "veryfast", "-x265-params",
        f"keyint={FPS}:min-keyint={FPS}:scenecut=0:bframes=2:open-gop=0:log-level=error"]
AAC = ["-c:a", "aac", "-b:a", "64k"]
ID_SEGMENT, ID_CLUSTER, ID_SIMPLE_BLOCK = 0x18538067, 0x1F43B675, 0xA3


def matrix_source(name, video_args, audio_args):
    path = os.path.join(WORK, f"{name}.mkv")
    make_source(path, video_args, audio_args, seconds=MATRIX_SECONDS)
    return path


def upload(name, path):
    """Creates stream ``name``, uploads ``path`` from PRODUCER_START; returns the PERSISTED acks."""
    kv = control()
    kv.create_stream(StreamName=name, DataRetentionInHours=24)
    endpoint = kv.get_data_endpoint(StreamName=name, APIName="PUT_MEDIA")["DataEndpoint"]
    status, acks = put_media(endpoint, session().get_credentials(), REGION, name, path,
                             start_timestamp=PRODUCER_START, ca_bundle=CA_BUNDLE)
    assert status == 200, (status, acks)
    assert not [a for a in acks if a["EventType"] == "ERROR"], acks
    return [a for a in acks if a["EventType"] == "PERSISTED"]


def clip_client(name):
    return archive(control().get_data_endpoint(StreamName=name, APIName="GET_CLIP")["DataEndpoint"])


def get_clip(name, start, end):
    """GetClip by producer time [start, end]; returns the MP4's path."""
    response = clip_client(name).get_clip(StreamName=name, ClipFragmentSelector={
        "FragmentSelectorType": "PRODUCER_TIMESTAMP",
        "TimestampRange": {"StartTimestamp": start, "EndTimestamp": end}})
    assert response["ContentType"] == "video/mp4", response["ContentType"]
    clip = os.path.join(WORK, f"{name}-{start}-{end}.mp4")
    with open(clip, "wb") as f:
        f.write(response["Payload"].read())
    return clip


def assert_clip_plays(clip, codecs):
    assert ffprobe_codecs(clip) == sorted(codecs), ffprobe_codecs(clip)
    boxes = top_level_boxes(clip)
    assert boxes[0] == "ftyp" and boxes.index("moov") < boxes.index("mdat"), boxes
    errors = subprocess.run(["ffmpeg", "-v", "error", "-i", clip, "-f", "null", "-"],
                            capture_output=True).stderr.decode()
    assert errors == "", errors


def audio_seconds(path):
    """Length of the decoded (as played) first audio stream."""
    pcm = run("ffmpeg", "-v", "error", "-i", path, "-map", "0:a:0", "-f", "s16le", "-ac", "1",
              "-ar", "8000", "-").stdout
    return len(pcm) / 2 / 8000


def matrix_case(label, video_args, audio_args, codecs):
    @check(f"GetClip of {label} is frame-exact and decodes cleanly")
    def _():
        name = f"e2e-{RUN}-{label.lower().replace('.', '').replace(' ', '-').replace('+', '-')}"
        source = matrix_source(name, video_args, audio_args)
        upload(name, source)
        clip = get_clip(name, PRODUCER_START, PRODUCER_START + MATRIX_SECONDS + 1)
        assert_clip_plays(clip, codecs)
        if "hevc" in codecs:
            tags = json.loads(run("ffprobe", "-v", "error", "-select_streams", "v:0",
                                  "-show_streams", "-of", "json", clip).stdout)["streams"]
            assert tags[0]["codec_tag_string"] == "hvc1", tags[0]["codec_tag_string"]
        source_hashes, clip_hashes = framemd5(source), framemd5(clip)
        assert len(source_hashes) == MATRIX_SECONDS * FPS, len(source_hashes)
        assert clip_hashes == source_hashes, "decoded video frames differ from the source"
        if audio_args:
            # The clip's timeline starts at the first video frame (a few tens of ms in).
            shortfall = audio_seconds(source) - audio_seconds(clip)
            assert -0.01 <= shortfall <= 0.15, (audio_seconds(source), audio_seconds(clip))


matrix_case("H.264 video-only", H264, [], ["h264"])
matrix_case("H.265+AAC", H265, AAC, ["hevc", "aac"])
matrix_case("H.264+G.711 A-law", H264, ["-c:a", "pcm_alaw", "-ar", "8000"], ["h264", "pcm_alaw"])
matrix_case("H.264+G.711 mu-law", H264, ["-c:a", "pcm_mulaw", "-ar", "8000"],
            ["h264", "pcm_mulaw"])


@check("GetClip of VP8 raises UnsupportedStreamMediaTypeException in boto3")
def _():
    name = f"e2e-{RUN}-vp8"
    upload(name, matrix_source(name, ["-c:v", "libvpx", "-g", str(FPS), "-b:v", "300k",
                                      "-deadline", "realtime", "-cpu-used", "8"], []))
    media = clip_client(name)
    try:
        media.get_clip(StreamName=name, ClipFragmentSelector={
            "FragmentSelectorType": "PRODUCER_TIMESTAMP", "TimestampRange": {
                "StartTimestamp": PRODUCER_START, "EndTimestamp": PRODUCER_START + 3600}})
        raise AssertionError("no error")
    except media.exceptions.UnsupportedStreamMediaTypeException as e:
        assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 400, e.response


def _vint(data, pos, keep_marker):
    """An EBML variable-length integer at ``pos``: (value, length). IDs keep their marker bit."""
    length = 1
    while not data[pos] & (0x80 >> (length - 1)):
        length += 1
    value = data[pos] if keep_marker else data[pos] & ((0x80 >> (length - 1)) - 1)
    for b in data[pos + 1:pos + length]:
        value = (value << 8) | b
    return value, length


def cluster_frames(data, cluster_index, track=1):
    """(offset, size) of the SimpleBlock frames of ``track`` in the given Cluster of a
    KVS-style MKV (unknown-size Segment, known-size Clusters, no lacing)."""
    pos, cluster = 0, -1
    while pos < len(data):
        element, id_length = _vint(data, pos, True)
        size, size_length = _vint(data, pos + id_length, False)
        payload = pos + id_length + size_length
        if element == ID_SEGMENT:
            pos = payload  # descend: its children are the level-1 elements
            continue
        assert size != (1 << (7 * size_length)) - 1, f"unknown size element {element:x}"
        if element == ID_CLUSTER:
            cluster += 1
            if cluster == cluster_index:
                frames, child = [], payload
                while child < payload + size:
                    cid, cid_length = _vint(data, child, True)
                    csize, csize_length = _vint(data, child + cid_length, False)
                    body = child + cid_length + csize_length
                    if cid == ID_SIMPLE_BLOCK:
                        number, number_length = _vint(data, body, False)
                        start = body + number_length + 3  # timecode (2), flags (1)
                        if number == track:
                            frames.append((start, body + csize - start))
                    child = body + csize
                return frames
        pos = payload + size
    raise AssertionError(f"no cluster {cluster_index}")


@check("GetClip over a corrupt frame raises InvalidMediaFrameException; the clip before plays")
def _():
    name = f"e2e-{RUN}-bad-frame"
    data = bytearray(open(matrix_source(name, H264, []), "rb").read())
    offset, size = cluster_frames(data, 2)[4]  # a frame of the third fragment
    assert int.from_bytes(data[offset:offset + 4], "big") <= size - 4, "not a NAL length"
    data[offset:offset + 4] = (0x7FFFFF00).to_bytes(4, "big")
    corrupt = os.path.join(WORK, f"{name}-corrupt.mkv")
    with open(corrupt, "wb") as f:
        f.write(data)
    persisted = upload(name, corrupt)
    starts = [PRODUCER_START + a["FragmentTimecode"] / 1000 for a in persisted]
    clip = get_clip(name, PRODUCER_START, starts[1])
    assert_clip_plays(clip, ["h264"])
    assert len(framemd5(clip)) == 2 * FPS, len(framemd5(clip))
    media = clip_client(name)
    try:
        media.get_clip(StreamName=name, ClipFragmentSelector={
            "FragmentSelectorType": "PRODUCER_TIMESTAMP",
            "TimestampRange": {"StartTimestamp": PRODUCER_START, "EndTimestamp": starts[3]}})
        raise AssertionError("no error")
    except media.exceptions.InvalidMediaFrameException as e:
        assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 400, e.response


@check("over HTTPS, GetDataEndpoint answers the HTTPS URL it was called on", https=True)
def _():
    if not ENDPOINT.startswith("https://"):
        return
    for api in ("PUT_MEDIA", "GET_CLIP", "GET_MEDIA", "LIST_FRAGMENTS"):
        endpoint = control().get_data_endpoint(StreamName=stream, APIName=api)["DataEndpoint"]
        assert endpoint == ENDPOINT, (api, endpoint)
    cli = json.loads(run("aws", *cli_tls(), "kinesisvideo", "get-data-endpoint", "--endpoint-url",
                         ENDPOINT, "--stream-name", stream, "--api-name", "GET_HLS_STREAMING_SESSION_URL"
                         ).stdout)["DataEndpoint"]
    assert cli == ENDPOINT, cli


@check("over HTTPS, clients that do not trust the certificate are refused", https=True)
def _():
    if not ENDPOINT.startswith("https://"):
        return
    untrusting = session().client("kinesisvideo", endpoint_url=ENDPOINT,
                                  config=Config(retries={"max_attempts": 1}))
    try:
        untrusting.describe_stream(StreamName=stream)
        raise AssertionError("boto3 accepted a certificate it was not told to trust")
    except botocore.exceptions.SSLError:
        pass
    cli = subprocess.run(["aws", "kinesisvideo", "describe-stream", "--endpoint-url", ENDPOINT,
                          "--stream-name", stream], capture_output=True)
    assert cli.returncode != 0 and b"SSL" in cli.stderr, cli.stderr


passed = sum(1 for _, e in results if e is None)
failed = len(results) - passed
print(f"e2e: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
