"""Sandbox handlers: resumable attachment uploads, after tus 1.0 (research/fleet.md §B4).

Create (POST, JSON: the manifest entry) → upload id; query the offset (HEAD or GET);
append a chunk (PATCH, ``Upload-Offset`` must equal the stored offset). A chunk is stored
whole in one transaction or not at all, so the acknowledged offset is always exact. The
whole file's sha256, declared at creation, is checked when the last byte arrives; on a
mismatch the upload starts again from 0.
"""

from __future__ import annotations

import base64
import hashlib
import json
import sqlite3
import uuid

from kiosk.upstream.models import MaterialRef, UploadRequest
from sandbox.context import Ctx, check_filename
from sandbox.wire import Problem, Request, Response, json_response

OFFSET_TYPE = "application/offset+octet-stream"


def create(req: Request, ctx: Ctx) -> Response:
    app = _application(ctx.conn, req)
    ask = req.read(UploadRequest)
    ref = MaterialRef(ask.material_code, ask.filename, ask.content_type, ask.size, ask.sha256)
    index = ask.manifest_index
    check_filename(ref.filename, "filename")
    manifest = json.loads(app["body"]).get("materials", [])
    index = _match(ctx.conn, app["id"], manifest, ref, index)
    row = ctx.conn.execute(
        "SELECT * FROM uploads WHERE application_id = ? AND manifest_index = ?", (app["id"], index)
    ).fetchone()
    status = 200
    if row is None:
        upload_id = "U" + uuid.uuid4().hex[:24]
        ctx.conn.execute(
            "INSERT INTO uploads (upload_id, application_id, manifest_index, material_code,"
            " filename, content_type, length, sha256, created_at) VALUES (?,?,?,?,?,?,?,?,?)",
            (
                upload_id,
                app["id"],
                index,
                ref.material_code,
                ref.filename,
                ref.content_type,
                ref.size,
                ref.sha256,
                req.now,
            ),
        )
        if ref.size == 0:
            _complete(ctx.conn, upload_id, app["id"], req.now)
        row = _upload(ctx.conn, upload_id)
        status = 201
    location = f"/v1/applications/{app['case_no']}/attachments/{row['upload_id']}"
    return json_response(status, _info(row), {**_offset_headers(row), "Location": location})


def head(req: Request, ctx: Ctx) -> Response:
    row = _owned_upload(ctx, req)
    return Response(204, b"", headers=_offset_headers(row))


def get(req: Request, ctx: Ctx) -> Response:
    row = _owned_upload(ctx, req)
    return json_response(200, _info(row), _offset_headers(row))


def patch(req: Request, ctx: Ctx) -> Response:
    row = _owned_upload(ctx, req)
    ctype = (req.header("content-type") or "").split(";")[0].strip()
    if ctype != OFFSET_TYPE:
        raise Problem(415, "unsupported_media_type", f"expected {OFFSET_TYPE}")
    claimed = req.header("upload-offset") or ""
    if not claimed.isdigit():
        raise Problem(400, "bad_offset", "Upload-Offset header missing or not a number")
    offset, chunk = int(claimed), req.body
    if offset != row["offset"]:
        raise Problem(409, "offset_mismatch", "ask the offset first", headers=_offset_headers(row))
    if offset + len(chunk) > row["length"]:
        raise Problem(400, "upload_past_length", "chunk goes past the declared length")
    _check_chunk_digest(req.header("upload-checksum"), chunk)
    if chunk:
        ctx.conn.execute(
            "INSERT INTO upload_chunks (upload_id, offset, data) VALUES (?,?,?)",
            (row["upload_id"], offset, chunk),
        )
        ctx.conn.execute(
            "UPDATE uploads SET offset = ? WHERE upload_id = ?",
            (offset + len(chunk), row["upload_id"]),
        )
    if offset + len(chunk) == row["length"] and not row["complete"]:
        if hashlib.sha256(assemble(ctx.conn, row["upload_id"])).hexdigest() != row["sha256"]:
            ctx.conn.execute("DELETE FROM upload_chunks WHERE upload_id = ?", (row["upload_id"],))
            ctx.conn.execute(
                "UPDATE uploads SET offset = 0 WHERE upload_id = ?", (row["upload_id"],)
            )
            return Problem(422, "checksum_mismatch", "file sha256 differs; start again").response()
        _complete(ctx.conn, row["upload_id"], row["application_id"], req.now)
    return Response(204, b"", headers=_offset_headers(_upload(ctx.conn, row["upload_id"])))


def assemble(conn: sqlite3.Connection, upload_id: str) -> bytes:
    rows = conn.execute(
        "SELECT data FROM upload_chunks WHERE upload_id = ? ORDER BY offset", (upload_id,)
    ).fetchall()
    return b"".join(bytes(r[0]) for r in rows)


def _check_chunk_digest(header: str | None, chunk: bytes) -> None:
    """The optional per-chunk ``Upload-Checksum: sha256 <base64>`` (tus checksum ext.)."""
    if header is None:
        return
    algo, _, value = header.partition(" ")
    if algo != "sha256":
        raise Problem(400, "bad_checksum_algorithm", "only sha256 is supported")
    if base64.b64encode(hashlib.sha256(chunk).digest()).decode() != value.strip():
        raise Problem(422, "checksum_mismatch", "chunk sha256 differs; send it again")


def _match(
    conn: sqlite3.Connection, app_id: int, manifest: list[dict], ref: MaterialRef, index: int | None
) -> int:
    """The manifest entry this upload fills: the named one, or the first matching one
    that has no finished upload yet."""
    key = (ref.material_code, ref.size, ref.sha256)

    def same(i: int) -> bool:
        m = manifest[i]
        return (m["material_code"], m["size"], m["sha256"]) == key

    if index is not None:
        if index >= len(manifest) or not same(index):
            raise Problem(422, "not_in_manifest", "upload does not match that manifest entry")
        return index
    done = {
        r[0]
        for r in conn.execute(
            "SELECT manifest_index FROM uploads WHERE application_id = ? AND complete = 1",
            (app_id,),
        )
    }
    for i in range(len(manifest)):
        if same(i) and i not in done:
            return i
    raise Problem(422, "not_in_manifest", "no manifest entry waits for this file")


def _complete(conn: sqlite3.Connection, upload_id: str, app_id: int, now: float) -> None:
    conn.execute("UPDATE uploads SET complete = 1 WHERE upload_id = ?", (upload_id,))
    body = conn.execute("SELECT body FROM applications WHERE id = ?", (app_id,)).fetchone()[0]
    expected = len(json.loads(body).get("materials", []))
    done = conn.execute(
        "SELECT COUNT(*) FROM uploads WHERE application_id = ? AND complete = 1", (app_id,)
    ).fetchone()[0]
    if done >= expected:
        conn.execute(
            "UPDATE applications SET accepted_at = ? WHERE id = ? AND accepted_at IS NULL",
            (now, app_id),
        )


def _application(conn: sqlite3.Connection, req: Request) -> sqlite3.Row:
    """This device's current submission for the case: its latest correction (退回补正)
    if it sent one, else its first application."""
    row: sqlite3.Row | None = conn.execute(
        "SELECT * FROM applications WHERE case_no = ? AND device_id = ?"
        " ORDER BY CASE WHEN json_extract(body, '$.kind') = 'correction' THEN -id ELSE id END"
        " LIMIT 1",
        (req.params["case_no"], req.device_id),
    ).fetchone()
    if row is None:
        raise Problem(404, "case_not_found", "no application of this device with that number")
    return row


def _upload(conn: sqlite3.Connection, upload_id: str) -> sqlite3.Row:
    row: sqlite3.Row = conn.execute(
        "SELECT * FROM uploads WHERE upload_id = ?", (upload_id,)
    ).fetchone()
    return row


def _owned_upload(ctx: Ctx, req: Request) -> sqlite3.Row:
    app = _application(ctx.conn, req)
    row = ctx.conn.execute(
        "SELECT * FROM uploads WHERE upload_id = ? AND application_id = ?",
        (req.params["upload_id"], app["id"]),
    ).fetchone()
    if row is None:
        raise Problem(404, "upload_not_found", "no such upload for this case")
    return row


def _info(row: sqlite3.Row) -> dict[str, object]:
    return {
        "upload_id": row["upload_id"],
        "offset": row["offset"],
        "length": row["length"],
        "complete": bool(row["complete"]),
    }


def _offset_headers(row: sqlite3.Row) -> dict[str, str]:
    return {
        "Upload-Offset": str(row["offset"]),
        "Upload-Length": str(row["length"]),
        "Upload-Complete": "?1" if row["complete"] else "?0",
        "Cache-Control": "no-store",
    }
