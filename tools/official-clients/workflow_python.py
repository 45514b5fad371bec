#!/usr/bin/env python3
"""The legacy Python SDK `imagekitio` 4.2.0 (the SDK of ImageKit's Python quick start) against the
emulator, through the recording proxy. Run by run.py with the scratch venv's Python; the
environment says where everything is (OC_PROXY, OC_EMULATOR, OC_IMAGEKIT_ID, OC_PRIVATE_KEY,
OC_PUBLIC_KEY, OC_ASSETS).

The SDK's API and upload hosts are class constants (`imagekitio.constants.url.URL`), read on every
call, so pointing it at the proxy is two assignments. Delivery URLs use the `url_endpoint` option.

Each step prints one line (`python  <step>  ok   <statuses>` or `... FAIL <reason>`); a failing step
does not stop the others. A step fails when the SDK raises, when its result is not what the quick
start promises, or when a status differs from the one the real service answers
(shared/spec/service-facts.md §1).
"""

from __future__ import annotations

import base64
import json
import os
import sys
import traceback
import urllib.request

import requests
from imagekitio import ImageKit
from imagekitio.constants.url import URL
from imagekitio.models.CopyFileRequestOptions import CopyFileRequestOptions
from imagekitio.models.CopyFolderRequestOptions import CopyFolderRequestOptions
from imagekitio.models.CreateCustomMetadataFieldsRequestOptions import CreateCustomMetadataFieldsRequestOptions
from imagekitio.models.CreateFolderRequestOptions import CreateFolderRequestOptions
from imagekitio.models.CustomMetaDataTypeEnum import CustomMetaDataTypeEnum
from imagekitio.models.CustomMetadataFieldsSchema import CustomMetadataFieldsSchema
from imagekitio.models.DeleteFolderRequestOptions import DeleteFolderRequestOptions
from imagekitio.models.ListAndSearchFileRequestOptions import ListAndSearchFileRequestOptions
from imagekitio.models.MoveFileRequestOptions import MoveFileRequestOptions
from imagekitio.models.MoveFolderRequestOptions import MoveFolderRequestOptions
from imagekitio.models.RenameFileRequestOptions import RenameFileRequestOptions
from imagekitio.models.UpdateCustomMetadataFieldsRequestOptions import UpdateCustomMetadataFieldsRequestOptions
from imagekitio.models.UpdateFileRequestOptions import UpdateFileRequestOptions
from imagekitio.models.UploadFileRequestOptions import UploadFileRequestOptions

CLIENT = "python"
PROXY = os.environ["OC_PROXY"]
EMULATOR = os.environ["OC_EMULATOR"]
IMAGEKIT_ID = os.environ.get("OC_IMAGEKIT_ID", "emulator")
ASSETS = os.environ["OC_ASSETS"]
FOLDER = "/python-sdk"

# The override: every API and upload call goes to the proxy instead of *.imagekit.io.
URL.API_BASE_URL = PROXY
URL.UPLOAD_BASE_URL = PROXY


class StepFailed(Exception):
    pass


def control(name: str, payload: dict | None = None) -> dict:
    data = json.dumps(payload).encode() if payload is not None else None
    req = urllib.request.Request(f"{PROXY}/__proxy/{name}", data=data, method="POST" if data else "GET")
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.load(resp)


class Steps:
    def __init__(self) -> None:
        self.ctx: dict = {}
        self.passed = 0
        self.failed = 0

    def need(self, *keys: str):
        missing = [k for k in keys if k not in self.ctx]
        if missing:
            raise StepFailed(f"needs {', '.join(missing)} from an earlier step")
        return [self.ctx[k] for k in keys]

    def run(self, name: str, fn, expect=(200,), recover=None) -> None:
        """Run one step; `expect` is the status every request of the step must get. When the SDK
        rejects a response that did create something, `recover(body)` takes what later steps need
        from the recorded response body, so one wrong status does not fail every later step."""
        control("label", {"client": CLIENT, "step": name, "expect": list(expect)})
        since = control("health")["seq"]
        error = None
        try:
            fn()
        except StepFailed as exc:
            error = str(exc)
        except Exception as exc:  # the SDK's exceptions carry the service's message
            error = f"{type(exc).__name__}: {describe(exc)}"
        records = fetch_records(since)
        statuses = [r.get("response", {}).get("status") for r in records]
        # A success status other than the service's (service-facts §1) is a failure even when the
        # SDK let it through; error statuses speak for themselves through the SDK's exception.
        wrong = [st for st in statuses if st not in expect and st is not None and 200 <= st < 300]
        if wrong:
            facts = f"status {wrong[0]}, the service answers {'/'.join(map(str, expect))} (service-facts §1)"
            error = facts if error is None else f"{facts}; the SDK raised {error}"
        if error is not None and recover is not None and records:
            body = records[-1].get("response", {}).get("body")
            if isinstance(body, dict):
                try:
                    recover(body)
                except (KeyError, TypeError):
                    pass
        shown = ",".join(str(st) for st in statuses) or "-"
        if error is None:
            self.passed += 1
            print(f"{CLIENT:<7} {name:<36} ok   {shown}", flush=True)
        else:
            self.failed += 1
            print(f"{CLIENT:<7} {name:<36} FAIL {shown}: {error}", flush=True)


def fetch_records(since: int) -> list:
    with urllib.request.urlopen(f"{PROXY}/__proxy/records?since={since}", timeout=10) as resp:
        return json.load(resp)["records"]


def describe(exc: Exception) -> str:
    text = str(exc) or repr(exc)
    if isinstance(exc, (TypeError, KeyError, AttributeError)):
        # A response the SDK could not read: say where.
        tb = traceback.extract_tb(exc.__traceback__)[-1]
        text += f" (at {os.path.basename(tb.filename)}:{tb.lineno})"
    return " ".join(text.split())[:300]


def check(cond: bool, what: str) -> None:
    if not cond:
        raise StepFailed(what)


def main() -> int:
    with open(os.path.join(ASSETS, "sample.png"), "rb") as fh:
        png = fh.read()
    with open(os.path.join(ASSETS, "sample-v2.png"), "rb") as fh:
        png_v2 = fh.read()
    # The quick start's client; delivery URLs go through the proxy too.
    imagekit = ImageKit(
        private_key=os.environ["OC_PRIVATE_KEY"],
        public_key=os.environ["OC_PUBLIC_KEY"],
        url_endpoint=f"{PROXY}/{IMAGEKIT_ID}",
    )
    s = Steps()
    ctx = s.ctx

    def cmf_create():
        res = imagekit.create_custom_metadata_fields(
            options=CreateCustomMetadataFieldsRequestOptions(
                name="price",
                label="Price",
                schema=CustomMetadataFieldsSchema(type=CustomMetaDataTypeEnum.Number, min_value=1, max_value=10000),
            )
        )
        check(res.name == "price" and res.id, f"unexpected field {vars(res)}")
        ctx["cmf_id"] = res.id

    s.run("custom_metadata_fields.create", cmf_create, expect=(201,),
          recover=lambda body: ctx.update(cmf_id=body["id"]))

    def upload_file():
        with open(os.path.join(ASSETS, "sample.png"), "rb") as fh:
            res = imagekit.upload_file(
                file=fh,
                file_name="quickstart.png",
                options=UploadFileRequestOptions(
                    use_unique_file_name=False,
                    tags=["python-sdk", "quickstart"],
                    folder=f"{FOLDER}/",
                    is_private_file=False,
                    custom_metadata={"price": 150},
                ),
            )
        check(res.file_id and res.name == "quickstart.png", f"unexpected upload result name={res.name!r}")
        check(res.width == 16 and res.height == 16, f"width/height {res.width}x{res.height}, expected 16x16")
        ctx["file_id"], ctx["v1"] = res.file_id, res.version_info.id

    s.run("files.upload[file]", upload_file)

    def upload_bytes():
        res = imagekit.upload_file(file=png, file_name="bytes.png",
                                   options=UploadFileRequestOptions(tags=["python-sdk"], folder=f"{FOLDER}/"))
        check(res.file_id and res.name.startswith("bytes_"), f"expected a unique name bytes_*.png, got {res.name!r}")
        ctx["bytes_id"] = res.file_id

    s.run("files.upload[bytes]", upload_bytes)

    def upload_base64():
        res = imagekit.upload_file(file=base64.b64encode(png).decode(), file_name="base64.png",
                                   options=UploadFileRequestOptions(use_unique_file_name=False, folder=f"{FOLDER}/"))
        check(res.size == len(png), f"size {res.size}, expected {len(png)}")
        ctx["base64_id"] = res.file_id

    s.run("files.upload[base64]", upload_base64)

    def upload_url():
        # A URL the emulator can fetch: its own delivery URL of the first upload (loopback).
        source = f"{EMULATOR}/{IMAGEKIT_ID}{FOLDER}/quickstart.png"
        res = imagekit.upload_file(file=source, file_name="from-url.png",
                                   options=UploadFileRequestOptions(use_unique_file_name=False, folder=f"{FOLDER}/"))
        check(res.size == len(png), f"size {res.size}, expected {len(png)}")
        ctx["url_id"] = res.file_id

    s.run("files.upload[url]", upload_url)

    def list_files():
        res = imagekit.list_files()
        names = sorted(f.name for f in res.list)
        check("quickstart.png" in names and "from-url.png" in names, f"listed {names}")

    s.run("files.list", list_files)

    def list_options():
        res = imagekit.list_files(options=ListAndSearchFileRequestOptions(
            type="file", sort="ASC_CREATED", path=f"{FOLDER}/", file_type="image", limit=10, skip=0,
            tags=["quickstart"]))
        names = [f.name for f in res.list]
        check(names == ["quickstart.png"], f"listed {names}, expected the file tagged quickstart")

    s.run("files.list[options]", list_options)

    def search_quickstart():
        # The query of the Python quick start, single quotes and all.
        res = imagekit.list_files(options=ListAndSearchFileRequestOptions(
            search_query="createdAt >= '2d' OR size < '2mb' OR format='png'"))
        check(len(res.list) >= 4, f"found {len(res.list)} files, expected the 4 uploaded")

    s.run("files.list[searchQuery single quotes]", search_quickstart)

    def search_tags():
        res = imagekit.list_files(options=ListAndSearchFileRequestOptions(
            search_query="tags IN ['quickstart', 'tag-2']"))
        names = [f.name for f in res.list]
        check(names == ["quickstart.png"], f"found {names}")

    s.run("files.list[tags IN single quotes]", search_tags)

    def details():
        (fid,) = s.need("file_id")
        res = imagekit.get_file_details(file_id=fid)
        check(res.file_id == fid, f"fileId {res.file_id}")
        check(res.custom_metadata == {"price": 150}, f"customMetadata {res.custom_metadata}")

    s.run("files.details", details)

    def update_details():
        (fid,) = s.need("file_id")
        res = imagekit.update_file_details(file_id=fid, options=UpdateFileRequestOptions(
            tags=["python-sdk", "quickstart", "updated"], custom_coordinates="1,1,4,4",
            custom_metadata={"price": 250}))
        check(res.tags == ["python-sdk", "quickstart", "updated"], f"tags {res.tags}")
        check(res.custom_metadata == {"price": 250}, f"customMetadata {res.custom_metadata}")

    s.run("files.update_details", update_details)

    def add_tags():
        (fid,) = s.need("file_id")
        res = imagekit.add_tags(file_ids=[fid], tags=["summer", "sale"])
        check(res.successfully_updated_file_ids == [fid], f"updated {res.successfully_updated_file_ids}")

    s.run("files.add_tags", add_tags)

    def remove_tags():
        (fid,) = s.need("file_id")
        res = imagekit.remove_tags(file_ids=[fid], tags=["sale"])
        check(res.successfully_updated_file_ids == [fid], f"updated {res.successfully_updated_file_ids}")

    s.run("files.remove_tags", remove_tags)

    s.run("folder.create", lambda: imagekit.create_folder(options=CreateFolderRequestOptions(
        folder_name="archive", parent_folder_path=f"{FOLDER}/")), expect=(201,))

    s.run("files.copy", lambda: imagekit.copy_file(options=CopyFileRequestOptions(
        source_file_path=f"{FOLDER}/quickstart.png", destination_path=f"{FOLDER}/archive/",
        include_file_versions=False)), expect=(204,))

    s.run("files.move", lambda: imagekit.move_file(options=MoveFileRequestOptions(
        source_file_path=f"{FOLDER}/from-url.png", destination_path=f"{FOLDER}/archive/")), expect=(204,))

    def rename():
        res = imagekit.rename_file(options=RenameFileRequestOptions(
            file_path=f"{FOLDER}/archive/quickstart.png", new_file_name="renamed.png", purge_cache=True))
        check(bool(res.purge_request_id), "no purgeRequestId with purgeCache=true")

    s.run("files.rename", rename)

    def new_version():
        (fid,) = s.need("file_id")
        res = imagekit.upload_file(file=png_v2, file_name="quickstart.png", options=UploadFileRequestOptions(
            use_unique_file_name=False, folder=f"{FOLDER}/", overwrite_file=True))
        check(res.file_id == fid, f"fileId {res.file_id}, expected the same file {fid}")
        check(res.version_info.id != ctx.get("v1"), "the version id did not change")
        ctx["v2"] = res.version_info.id

    s.run("files.upload[new version]", new_version)

    def versions():
        (fid,) = s.need("file_id")
        res = imagekit.get_file_versions(file_id=fid)
        check(len(res.list) == 2, f"{len(res.list)} versions, expected 2")

    s.run("files.versions", versions)

    def version_details():
        fid, v1 = s.need("file_id", "v1")
        res = imagekit.get_file_version_details(file_id=fid, version_id=v1)
        check(res.version_info.id == v1, f"versionInfo.id {res.version_info.id}")

    s.run("files.version_details", version_details)

    def restore():
        fid, v1 = s.need("file_id", "v1")
        res = imagekit.restore_file_version(file_id=fid, version_id=v1)
        check(res.version_info.id == v1, f"current version {res.version_info.id}, expected {v1}")

    s.run("files.restore_version", restore)

    def delete_version():
        fid, v2 = s.need("file_id", "v2")
        # After restoring version 1, version 2 is no longer current and can be deleted.
        imagekit.delete_file_version(file_id=fid, version_id=v2)

    s.run("files.delete_version", delete_version, expect=(204,))

    def copy_folder():
        res = imagekit.copy_folder(options=CopyFolderRequestOptions(
            source_folder_path=f"{FOLDER}/archive", destination_path=f"{FOLDER}/backup", include_file_versions=True))
        check(bool(res.job_id), "no jobId")
        ctx["copy_job"] = res.job_id

    s.run("folder.copy", copy_folder)

    def job_status(key: str):
        def run():
            (job,) = s.need(key)
            res = imagekit.get_bulk_job_status(job_id=job)
            # The emulator answers Pending on the first poll: poll as an application would.
            for _ in range(5):
                res = imagekit.get_bulk_job_status(job_id=job)
                if res.status == "Completed":
                    return
            raise StepFailed(f"status {res.status!r} after 5 polls")
        return run

    s.run("bulk_jobs.status[copy]", job_status("copy_job"))

    def move_folder():
        res = imagekit.move_folder(options=MoveFolderRequestOptions(
            source_folder_path=f"{FOLDER}/backup", destination_path=f"{FOLDER}/archive"))
        check(bool(res.job_id), "no jobId")
        ctx["move_job"] = res.job_id

    s.run("folder.move", move_folder)
    s.run("bulk_jobs.status[move]", job_status("move_job"))

    def cmf_list():
        res = imagekit.get_custom_metadata_fields()
        names = [f.name for f in res.list]
        check(names == ["price"], f"fields {names}")

    s.run("custom_metadata_fields.list", cmf_list)

    def cmf_update():
        (cid,) = s.need("cmf_id")
        res = imagekit.update_custom_metadata_fields(cid, UpdateCustomMetadataFieldsRequestOptions(
            label="Price (USD)", schema=CustomMetadataFieldsSchema(min_value=1, max_value=20000)))
        check(res.label == "Price (USD)", f"label {res.label!r}")

    s.run("custom_metadata_fields.update", cmf_update)

    def purge():
        res = imagekit.purge_file_cache(file_url=f"{PROXY}/{IMAGEKIT_ID}{FOLDER}/quickstart.png")
        check(bool(res.request_id), "no requestId")
        ctx["purge_id"] = res.request_id

    s.run("cache.purge", purge, expect=(201,), recover=lambda body: ctx.update(purge_id=body["requestId"]))

    def purge_status():
        (rid,) = s.need("purge_id")
        for _ in range(5):
            res = imagekit.get_purge_file_cache_status(purge_cache_id=rid)
            if res.status == "Completed":
                return
        raise StepFailed(f"status {res.status!r} after 5 polls")

    s.run("cache.purge_status", purge_status)

    def metadata():
        (fid,) = s.need("file_id")
        res = imagekit.get_file_metadata(file_id=fid)
        check(res.width == 16 and res.height == 16 and res.format == "png", f"{res.width}x{res.height} {res.format}")

    s.run("files.metadata", metadata)

    def remote_metadata():
        res = imagekit.get_remote_file_url_metadata(remote_file_url=f"{EMULATOR}/{IMAGEKIT_ID}{FOLDER}/base64.png")
        check(res.width == 16 and res.format == "png", f"{res.width} {res.format}")

    s.run("metadata.from_url", remote_metadata)

    def signed_url():
        url = imagekit.url({"path": f"{FOLDER}/quickstart.png", "transformation": [{"height": "8", "width": "8"}],
                            "signed": True, "expire_seconds": 300})
        check("ik-s=" in url and "ik-t=" in url, f"not a signed URL: {url}")
        resp = requests.get(url, timeout=30)
        check(resp.status_code == 200, f"GET signed URL: {resp.status_code} {resp.text[:200]}")
        check(resp.headers.get("content-type", "").startswith("image/"), f"content-type {resp.headers.get('content-type')}")

    s.run("url.signed + delivery", signed_url)

    def query_url():
        url = imagekit.url({"path": f"{FOLDER}/base64.png", "transformation": [{"width": "8"}],
                            "transformation_position": "query"})
        check("?tr=w-8" in url, f"no ?tr= in {url}")
        resp = requests.get(url, timeout=30)
        check(resp.status_code == 200, f"GET: {resp.status_code} {resp.text[:200]}")

    s.run("url.query_transformation + delivery", query_url)

    def required_field():
        res = imagekit.create_custom_metadata_fields(options=CreateCustomMetadataFieldsRequestOptions(
            name="color", label="Color", schema=CustomMetadataFieldsSchema(
                type=CustomMetaDataTypeEnum.Text, is_value_required=True, default_value="none")))
        ctx["required_id"] = res.id

    s.run("custom_metadata_fields.create[required]", required_field, expect=(201,),
          recover=lambda body: ctx.update(required_id=body["id"]))

    def upload_default():
        # service-facts §5: a file uploaded without a value for a required field gets its default.
        res = imagekit.upload_file(file=png, file_name="defaults.png",
                                   options=UploadFileRequestOptions(use_unique_file_name=False, folder=f"{FOLDER}/"))
        ctx["defaults_id"] = res.file_id
        got = imagekit.get_file_details(file_id=res.file_id).custom_metadata
        check(got == {"color": "none"}, f"customMetadata {got}, expected the required field's default")

    s.run("files.upload[required field default]", upload_default)

    def bulk_delete():
        ids = s.need("bytes_id", "base64_id") + ([ctx["defaults_id"]] if "defaults_id" in ctx else [])
        res = imagekit.bulk_file_delete(file_ids=ids)
        check(sorted(res.successfully_deleted_file_ids) == sorted(ids), f"deleted {res.successfully_deleted_file_ids}")

    s.run("files.bulk_delete", bulk_delete)

    s.run("files.delete", lambda: imagekit.delete_file(file_id=s.need("file_id")[0]), expect=(204,))
    s.run("folder.delete", lambda: imagekit.delete_folder(options=DeleteFolderRequestOptions(
        folder_path=f"{FOLDER}/archive")), expect=(204,))
    s.run("custom_metadata_fields.delete", lambda: imagekit.delete_custom_metadata_field(s.need("cmf_id")[0]),
          expect=(204,))
    s.run("custom_metadata_fields.delete[required]",
          lambda: imagekit.delete_custom_metadata_field(s.need("required_id")[0]), expect=(204,))

    print(f"{CLIENT}: {s.passed} passed, {s.failed} failed", flush=True)
    return 0 if s.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
